import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';

export const CGROUP_CONTROLLERS = 'cgroup.controllers';
const NAME = 'unified';

/**
 * `linux.resources.unified`: v2 file name → value, written as-is after the typed fields (so it can
 * override them, as the spec allows). Keys are file names: no `/`, and the controller named by the
 * prefix must be enabled in this cgroup (cgroup.* core files need none).
 */
export const unified: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => Object.keys(r.unified ?? {}).length > 0,
  apply(r: LinuxResources, dir: string): void {
    const enabled = new Set((readOptionalCgroupFile(NAME, dir, CGROUP_CONTROLLERS) ?? '').split(/\s+/));
    for (const [key, value] of Object.entries(r.unified ?? {})) {
      if (key.includes('/') || key === '.' || key === '..' || !key.includes('.')) {
        throw unsupported(NAME, key, 'not a cgroup file name');
      }
      const controller = key.slice(0, key.indexOf('.'));
      if (controller !== 'cgroup' && !enabled.has(controller)) {
        throw unsupported(controller, key, `the ${controller} controller is not enabled in ${dir}`);
      }
      if (!existsSync(join(dir, key))) throw unsupported(controller, key, `the kernel has no ${key}`);
      writeCgroupFile(controller, dir, key, value);
    }
  },
};
