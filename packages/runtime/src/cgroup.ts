// The container's cgroup through @berth/cgroups: resolve linux.cgroupsPath, make the cgroup, apply
// linux.resources, and tell the engine which cgroup.procs files to join the child to.
import { rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/** The parent of the cgroups of containers whose config.json names none. */
const DEFAULT_CGROUP_PARENT = '/berth-runtime';

/** The cgroup path a container uses when config.json has none. */
export function defaultCgroupsPath(id: string): string {
  return `${DEFAULT_CGROUP_PARENT}/${id}`;
}

/**
 * Destroys the container's cgroup, then the shared default parent when no container is left in it:
 * berth made that parent, so it should not outlive the last container (another runtime's rmdir racing
 * ours just leaves it busy or gone, which is fine).
 */
export async function destroyCgroup(cg: ContainerCgroup): Promise<void> {
  await cg.manager.destroy();
  if (dirname(cg.path) !== DEFAULT_CGROUP_PARENT) return;
  for (const procs of cg.procsFiles) {
    const parent = dirname(dirname(procs));
    try {
      rmdirSync(parent);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EBUSY' && code !== 'ENOENT') throw e;
    }
  }
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
    await destroyCgroup(cg);
    throw e;
  }
  return cg;
}
