import { z } from 'zod';
import { CgroupError } from './errors.js';
import { type CgroupLayout, detectLayout } from './layout.js';
import type { CgroupManager } from './manager.js';
import { type ResolveOptions, resolveCgroupsPath } from './paths.js';
import { V1Manager } from './v1/manager.js';
import { V2Manager } from './v2/manager.js';

const ManagerOptionsSchema = z.object({
  cgroupsPath: z.string().min(1),
  driver: z.enum(['auto', 'cgroupfs', 'systemd']).optional(),
  relativeTo: z.string().startsWith('/').optional(),
  layout: z
    .object({ kind: z.enum(['unified', 'legacy', 'hybrid']) })
    .loose()
    .optional(),
});

export interface CreateManagerOptions extends ResolveOptions {
  /** OCI `linux.cgroupsPath`: a path ('/berth/abc') or systemd's 'slice:prefix:name'. */
  cgroupsPath: string;
  /** The host layout; detected from /proc/self/mountinfo when absent. */
  layout?: CgroupLayout;
}

/**
 * The manager for this host: v2 on a unified host, v1 on legacy and hybrid hosts (a hybrid host's
 * cgroup2 mount has no controllers to limit anything with). Nothing is created until `create()`.
 */
export function createManager(options: CreateManagerOptions): CgroupManager {
  const checked = ManagerOptionsSchema.safeParse(options);
  if (!checked.success) {
    throw new CgroupError(
      'ECGROUPPATH',
      `createManager: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}`,
    );
  }
  const layout = options.layout ?? detectLayout();
  const { path } = resolveCgroupsPath(options.cgroupsPath, options);
  if (layout.kind === 'unified') return new V2Manager({ mountPoint: layout.unified.mountPoint, path });
  return new V1Manager({ hierarchies: layout.v1, path });
}
