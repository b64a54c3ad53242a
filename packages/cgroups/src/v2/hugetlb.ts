import { readdirSync } from 'node:fs';
import type { Controller } from '../controller.js';
import { parseFlatKeyed, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

const NAME = 'hugetlb';
export const hugetlbMaxFile = (pageSize: string) => `hugetlb.${pageSize}.max`;
export const hugetlbCurrentFile = (pageSize: string) => `hugetlb.${pageSize}.current`;
export const hugetlbEventsFile = (pageSize: string) => `hugetlb.${pageSize}.events`;

export const hugetlb: Controller & StatsProvider = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => (r.hugepageLimits?.length ?? 0) > 0,
  apply(r: LinuxResources, dir: string): void {
    for (const h of r.hugepageLimits ?? []) {
      writeCgroupFile(NAME, dir, hugetlbMaxFile(h.pageSize), h.limit < 0 ? 'max' : String(h.limit));
    }
  },
  stats(dir: string, s: CgroupStats): void {
    for (const f of readdirSync(dir)) {
      const m = /^hugetlb\.([^.]+)\.current$/.exec(f);
      if (!m) continue;
      const size = m[1]!;
      const events = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, hugetlbEventsFile(size)) ?? '');
      s.hugetlb[size] = {
        usage: Number(readOptionalCgroupFile(NAME, dir, hugetlbCurrentFile(size)) ?? 0),
        maxUsage: 0, // v2 keeps no peak for hugetlb
        failcnt: events.get('max') ?? 0,
      };
    }
  },
};
