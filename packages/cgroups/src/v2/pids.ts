import type { Controller } from '../controller.js';
import { parseUint, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

export const PIDS_MAX = 'pids.max';
export const PIDS_CURRENT = 'pids.current';
export const PIDS_EVENTS = 'pids.events';

const NAME = 'pids';

export const pids: Controller & StatsProvider = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => r.pids !== undefined,
  apply(r: LinuxResources, dir: string): void {
    // A negative limit means max; 0 is a valid limit and is written as-is.
    if (r.pids) writeCgroupFile(NAME, dir, PIDS_MAX, r.pids.limit < 0 ? 'max' : String(r.pids.limit));
  },
  stats(dir: string, s: CgroupStats): void {
    s.pids.current = Number(readOptionalCgroupFile(NAME, dir, PIDS_CURRENT) ?? 0);
    s.pids.limit = parseUint(readOptionalCgroupFile(NAME, dir, PIDS_MAX) ?? 'max');
  },
};
