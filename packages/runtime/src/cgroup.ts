// The container's cgroup through @berth/cgroups: resolve linux.cgroupsPath, make the cgroup, apply
// linux.resources, and tell the engine which cgroup.procs files to join the child to.
import { basename, join } from 'node:path';
import {
  type CgroupManager,
  createManager,
  type LinuxResources,
  resolveCgroupsPath,
  V1Manager,
  V2Manager,
} from '@berth/cgroups';
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

/** Opens (does not create) the container's cgroup at an absolute path: v1 or v2 as the host has. */
export function openCgroup(path: string): ContainerCgroup {
  const manager = createManager({ cgroupsPath: path, driver: 'cgroupfs' });
  let dirs: string[] = [];
  let sources: CgroupMountSource[] = [];
  if (manager instanceof V1Manager) {
    dirs = [...new Set(Object.values(manager.dirs))];
    sources = dirs.map((d) => ({ name: basename(d.slice(0, d.length - path.length)), hostDir: d }));
  } else if (manager instanceof V2Manager) {
    dirs = [manager.dir];
    // one hierarchy: the container's directory is the whole mount (`name` '' = the target itself)
    sources = [{ name: '', hostDir: manager.dir }];
  }
  return { manager, path, procsFiles: dirs.map((d) => join(d, 'cgroup.procs')), sources };
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
