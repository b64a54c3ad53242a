import { dirname } from 'node:path';
import type { Controller } from '../controller.js';
import { readCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';

export const CPUSET_CPUS = 'cpuset.cpus';
export const CPUSET_MEMS = 'cpuset.mems';

const NAME = 'cpuset';

export const cpuset: Controller = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    return !!r.cpu && ((r.cpu.cpus ?? '') !== '' || (r.cpu.mems ?? '') !== '');
  },
  apply(r: LinuxResources, dir: string): void {
    if (r.cpu?.cpus) writeCgroupFile(NAME, dir, CPUSET_CPUS, r.cpu.cpus);
    if (r.cpu?.mems) writeCgroupFile(NAME, dir, CPUSET_MEMS, r.cpu.mems);
  },
};

/**
 * A new v1 cpuset starts with empty cpus and mems, and no task can join it until both are set: copy them
 * from the parent into a directory this manager just made (top-down, so each parent is already filled).
 */
export function inheritCpuset(dir: string): void {
  for (const file of [CPUSET_CPUS, CPUSET_MEMS]) {
    if (readCgroupFile(NAME, dir, file).trim() === '') {
      writeCgroupFile(NAME, dir, file, readCgroupFile(NAME, dirname(dir), file).trim());
    }
  }
}
