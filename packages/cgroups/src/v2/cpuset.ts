import type { Controller } from '../controller.js';
import { writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';

export const CPUSET_CPUS = 'cpuset.cpus';
export const CPUSET_MEMS = 'cpuset.mems';

const NAME = 'cpuset';

/** v2 cpusets inherit the parent's effective set when empty, so no copying is needed (unlike v1). */
export const cpuset: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => !!r.cpu && ((r.cpu.cpus ?? '') !== '' || (r.cpu.mems ?? '') !== ''),
  apply(r: LinuxResources, dir: string): void {
    if (r.cpu?.cpus) writeCgroupFile(NAME, dir, CPUSET_CPUS, r.cpu.cpus);
    if (r.cpu?.mems) writeCgroupFile(NAME, dir, CPUSET_MEMS, r.cpu.mems);
  },
};
