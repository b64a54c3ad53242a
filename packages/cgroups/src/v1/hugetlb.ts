import { readdirSync } from 'node:fs';
import type { Controller } from '../controller.js';
import { readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

const NAME = 'hugetlb';
export const hugetlbLimitFile = (pageSize: string) => `hugetlb.${pageSize}.limit_in_bytes`;
export const hugetlbUsageFile = (pageSize: string) => `hugetlb.${pageSize}.usage_in_bytes`;
export const hugetlbMaxUsageFile = (pageSize: string) => `hugetlb.${pageSize}.max_usage_in_bytes`;
export const hugetlbFailcntFile = (pageSize: string) => `hugetlb.${pageSize}.failcnt`;

export const hugetlb: Controller & StatsProvider = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => (r.hugepageLimits?.length ?? 0) > 0,
  apply(r: LinuxResources, dir: string): void {
    for (const h of r.hugepageLimits ?? []) writeCgroupFile(NAME, dir, hugetlbLimitFile(h.pageSize), h.limit);
  },
  stats(dir: string, s: CgroupStats): void {
    for (const f of readdirSync(dir)) {
      const m = /^hugetlb\.([^.]+)\.usage_in_bytes$/.exec(f);
      if (!m) continue;
      const size = m[1]!;
      s.hugetlb[size] = {
        usage: Number(readOptionalCgroupFile(NAME, dir, hugetlbUsageFile(size)) ?? 0),
        maxUsage: Number(readOptionalCgroupFile(NAME, dir, hugetlbMaxUsageFile(size)) ?? 0),
        failcnt: Number(readOptionalCgroupFile(NAME, dir, hugetlbFailcntFile(size)) ?? 0),
      };
    }
  },
};
