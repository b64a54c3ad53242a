import type { Controller } from '../controller.js';
import { CgroupError } from '../errors.js';
import { parseFlatKeyed, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import { hasCpu } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

export const CPU_SHARES = 'cpu.shares';
export const CPU_CFS_PERIOD = 'cpu.cfs_period_us';
export const CPU_CFS_QUOTA = 'cpu.cfs_quota_us';
export const CPU_CFS_BURST = 'cpu.cfs_burst_us';
export const CPU_RT_PERIOD = 'cpu.rt_period_us';
export const CPU_RT_RUNTIME = 'cpu.rt_runtime_us';
export const CPU_IDLE = 'cpu.idle';
export const CPU_STAT = 'cpu.stat';

const NAME = 'cpu';

export const cpu: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    return hasCpu(r);
  },
  apply(r: LinuxResources, dir: string): void {
    const c = r.cpu;
    if (!c) return;
    if (c.shares !== undefined && c.shares !== 0) writeCgroupFile(NAME, dir, CPU_SHARES, c.shares); // 0 = unset
    // A negative quota means no limit (-1); the kernel refuses a period change that the current quota makes
    // invalid, so when writing the period first fails with EINVAL, write the quota first and retry.
    const quota = c.quota === undefined ? undefined : c.quota < 0 ? -1 : c.quota;
    const period = c.period === undefined || c.period === 0 ? undefined : c.period; // period 0 = unset
    if (period !== undefined) {
      try {
        writeCgroupFile(NAME, dir, CPU_CFS_PERIOD, period);
      } catch (e) {
        if (!(e instanceof CgroupError && e.errno === 'EINVAL' && quota !== undefined)) throw e;
        writeCgroupFile(NAME, dir, CPU_CFS_QUOTA, quota);
        writeCgroupFile(NAME, dir, CPU_CFS_PERIOD, period);
      }
    }
    if (quota !== undefined) writeCgroupFile(NAME, dir, CPU_CFS_QUOTA, quota);
    if (c.burst !== undefined) writeCgroupFile(NAME, dir, CPU_CFS_BURST, c.burst);
    // The realtime period must be set before the runtime that has to fit in it.
    if (c.realtimePeriod !== undefined && c.realtimePeriod !== 0) {
      writeCgroupFile(NAME, dir, CPU_RT_PERIOD, c.realtimePeriod);
    }
    if (c.realtimeRuntime !== undefined) writeCgroupFile(NAME, dir, CPU_RT_RUNTIME, c.realtimeRuntime);
    if (c.idle !== undefined) writeCgroupFile(NAME, dir, CPU_IDLE, c.idle);
  },
  stats(dir: string, s: CgroupStats): void {
    const st = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, CPU_STAT) ?? '');
    s.cpu.throttling = {
      periods: st.get('nr_periods') ?? 0,
      throttledPeriods: st.get('nr_throttled') ?? 0,
      throttledTime: st.get('throttled_time') ?? 0, // ns on v1
    };
  },
};
