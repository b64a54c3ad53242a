import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { parseFlatKeyed, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import { hasCpu } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

export const CPU_WEIGHT = 'cpu.weight';
export const CPU_MAX = 'cpu.max';
export const CPU_MAX_BURST = 'cpu.max.burst';
export const CPU_IDLE = 'cpu.idle';
export const CPU_STAT = 'cpu.stat';

const NAME = 'cpu';

/**
 * OCI cpu.shares (v1, 2..262144, default 1024) → cpu.weight (v2, 1..10000, default 100). The quadratic in
 * log2 maps the ends to the ends and the v1 default to the v2 default (1024 → 100), which the older linear
 * formula (1024 → 39) did not; runc and crun use this one too. 0 means unset.
 */
export function sharesToWeight(shares: number): number {
  if (shares <= 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(10 ** exponent);
}

/** cpu.max is "$MAX $PERIOD": a negative or absent quota is `max`; the period is kept when not given. */
export function cpuMaxValue(quota: number | undefined, period: number | undefined): string | undefined {
  const hasQuota = quota !== undefined;
  const hasPeriod = period !== undefined && period !== 0;
  if (!hasQuota && !hasPeriod) return undefined;
  const max = quota === undefined || quota < 0 ? 'max' : String(quota);
  return hasPeriod ? `${max} ${period}` : max;
}

export const cpu: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    return hasCpu(r);
  },
  apply(r: LinuxResources, dir: string): void {
    const c = r.cpu;
    if (!c) return;
    if ((c.realtimePeriod ?? 0) !== 0 || (c.realtimeRuntime ?? 0) !== 0) {
      throw unsupported(NAME, 'cpu.rt_runtime_us', 'realtime scheduling limits do not exist on cgroup v2');
    }
    if (c.shares !== undefined && c.shares !== 0)
      writeCgroupFile(NAME, dir, CPU_WEIGHT, sharesToWeight(c.shares));
    const max = cpuMaxValue(c.quota, c.period);
    if (max !== undefined) writeCgroupFile(NAME, dir, CPU_MAX, max);
    if (c.burst !== undefined) writeCgroupFile(NAME, dir, CPU_MAX_BURST, c.burst);
    if (c.idle !== undefined) writeCgroupFile(NAME, dir, CPU_IDLE, c.idle);
  },
  stats(dir: string, s: CgroupStats): void {
    // cpu.stat is a core file on v2 (usage is there even without the cpu controller); values in µs.
    const st = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, CPU_STAT) ?? '');
    s.cpu.usage.total = (st.get('usage_usec') ?? 0) * 1000;
    s.cpu.usage.user = (st.get('user_usec') ?? 0) * 1000;
    s.cpu.usage.kernel = (st.get('system_usec') ?? 0) * 1000;
    s.cpu.throttling = {
      periods: st.get('nr_periods') ?? 0,
      throttledPeriods: st.get('nr_throttled') ?? 0,
      throttledTime: (st.get('throttled_usec') ?? 0) * 1000,
    };
  },
};
