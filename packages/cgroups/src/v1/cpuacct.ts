import type { Controller } from '../controller.js';
import { parseFlatKeyed, readCgroupFile, readOptionalCgroupFile } from '../fs.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

export const CPUACCT_USAGE = 'cpuacct.usage';
export const CPUACCT_USAGE_PERCPU = 'cpuacct.usage_percpu';
export const CPUACCT_USAGE_USER = 'cpuacct.usage_user';
export const CPUACCT_USAGE_SYS = 'cpuacct.usage_sys';
export const CPUACCT_STAT = 'cpuacct.stat';

const NAME = 'cpuacct';
// cpuacct.stat counts USER_HZ ticks, which is 100 on every Linux ABI.
const NS_PER_TICK = 1e9 / 100;

/** cpuacct has no OCI resources: it only accounts. */
export const cpuacct: Controller & StatsProvider = {
  name: NAME,
  needsToHandle: () => false,
  apply: () => {},
  stats(dir: string, s: CgroupStats): void {
    s.cpu.usage.total = Number(readCgroupFile(NAME, dir, CPUACCT_USAGE));
    s.cpu.usage.perCpu = readCgroupFile(NAME, dir, CPUACCT_USAGE_PERCPU)
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '')
      .map(Number);
    const user = readOptionalCgroupFile(NAME, dir, CPUACCT_USAGE_USER);
    const sys = readOptionalCgroupFile(NAME, dir, CPUACCT_USAGE_SYS);
    if (user !== undefined && sys !== undefined) {
      s.cpu.usage.user = Number(user);
      s.cpu.usage.kernel = Number(sys);
    } else {
      const st = parseFlatKeyed(readCgroupFile(NAME, dir, CPUACCT_STAT));
      s.cpu.usage.user = (st.get('user') ?? 0) * NS_PER_TICK;
      s.cpu.usage.kernel = (st.get('system') ?? 0) * NS_PER_TICK;
    }
  },
};
