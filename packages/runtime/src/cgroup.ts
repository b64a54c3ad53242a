// The container's cgroup through @berth/cgroups: resolve linux.cgroupsPath, make the cgroup, apply
// linux.resources, and tell the engine which cgroup.procs files to join the child to.
import { basename, join } from 'node:path';
import {
  type CgroupManager,
  detectLayout,
  type LinuxResources,
  resolveCgroupsPath,
  V1Manager,
} from '@berth/cgroups';
import { RuntimeError } from './errors.js';
import type { CgroupMountSource } from './mounts.js';

export interface ContainerCgroup {
  manager: CgroupManager;
  /** absolute path inside each hierarchy */
  path: string;
  /** cgroup.procs files the engine writes the child's pid to */
  procsFiles: string[];
  /** for `cgroup` mounts: the container's directory in each hierarchy */
  sources: CgroupMountSource[];
}

/** The cgroup path a container uses when config.json has none. */
export function defaultCgroupsPath(id: string): string {
  return `/berth-runtime/${id}`;
}

/** Opens (does not create) the container's cgroup at an absolute path. */
export function openCgroup(path: string): ContainerCgroup {
  const layout = detectLayout();
  if (layout.kind === 'unified')
    throw new RuntimeError('EUNSUPPORTED', 'cgroup v2-only hosts are not supported by @berth/runtime yet', {
      path,
    });
  const manager = new V1Manager({ hierarchies: layout.v1, path });
  const dirs = [...new Set(Object.values(manager.dirs))];
  return {
    manager,
    path,
    procsFiles: dirs.map((d) => join(d, 'cgroup.procs')),
    sources: dirs.map((d) => ({ name: basename(d.slice(0, d.length - path.length)), hostDir: d })),
  };
}

/** Resolves linux.cgroupsPath (path or systemd `slice:prefix:name` form) for a container. */
export function cgroupPathFor(id: string, cgroupsPath: string | undefined): string {
  return resolveCgroupsPath(cgroupsPath || defaultCgroupsPath(id)).path;
}

/** Makes the cgroup and applies linux.resources; on failure removes what it made. */
export async function setupCgroup(path: string, resources: unknown): Promise<ContainerCgroup> {
  const cg = openCgroup(path);
  cg.manager.create();
  try {
    if (resources) cg.manager.apply(resources as LinuxResources);
  } catch (e) {
    await cg.manager.destroy();
    throw e;
  }
  return cg;
}
