// Persistent namespaces: an nsfs file bind-mounted onto a regular file keeps the namespace alive
// with no process in it (what `ip netns add` does for /run/netns/<name>). Pods and network setup
// use them; a container joins one by path.
import { closeSync, mkdirSync, openSync, statfsSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { constants, createContainer, isSyscallError, mount, umount2 } from '@berth/native';
import { NamespaceError } from './errors.js';
import { formatIdMap, type IdMapping, validateIdMappings } from './idmap.js';
import { NAMESPACE_INFO, type NamespaceKind } from './kinds.js';

const NSFS_MAGIC = 0x6e736673;

export interface PersistentNamespaceOptions {
  /** for kind 'user': the maps of the new user namespace */
  uidMappings?: readonly IdMapping[];
  gidMappings?: readonly IdMapping[];
  /** for kind 'uts': the hostname to give it */
  hostname?: string;
}

/**
 * Creates a namespace of `kind` and pins it at `path` (a new file; its directory is created).
 * A helper child made by the init engine owns the namespace for a moment: the parent bind-mounts
 * its /proc/<pid>/ns file onto `path` and kills it. No `ip`, `unshare` or `mount` binaries.
 * 'pid' is refused: a pid namespace whose init has exited cannot get new processes.
 */
export async function createPersistentNamespace(
  kind: NamespaceKind,
  path: string,
  opts: PersistentNamespaceOptions = {},
): Promise<void> {
  if (kind === 'pid')
    throw new NamespaceError('a pid namespace cannot outlive its init; join a running process instead');
  const info = NAMESPACE_INFO[kind];
  mkdirSync(dirname(path), { recursive: true });
  closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o444));
  let child: Awaited<ReturnType<typeof createContainer>> | undefined;
  try {
    child = await createContainer({
      cloneFlags: info.flag,
      args: ['/bin/true'], // never exec'd: the child is killed once the namespace is pinned
      ...(kind === 'user'
        ? {
            uidMap: formatIdMap(validateIdMappings(opts.uidMappings ?? [], 'uidMappings')),
            gidMap: formatIdMap(validateIdMappings(opts.gidMappings ?? [], 'gidMappings')),
          }
        : {}),
      ...(kind === 'uts' && opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
      parentDeathSignal: constants.SIGKILL,
    });
    // a new time namespace applies to the helper's children (it is never exec'd): pin that one
    const nsFile = kind === 'time' ? 'time_for_children' : info.proc;
    mount(`/proc/${child.pid}/ns/${nsFile}`, path, null, constants.MS_BIND);
  } catch (e) {
    unlinkSync(path);
    throw e;
  } finally {
    if (child) {
      child.kill();
      await child.wait();
    }
  }
}

/** Whether `path` is a pinned namespace (an nsfs mount). */
export function isPersistentNamespace(path: string): boolean {
  try {
    return statfsSync(path).type === NSFS_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Unpins the namespace at `path` and removes the file. The namespace itself ends when nothing
 * else (a process, another bind mount, an open fd) holds it. Idempotent.
 */
export function removePersistentNamespace(path: string): void {
  if (isPersistentNamespace(path)) {
    try {
      umount2(path, constants.MNT_DETACH);
    } catch (e) {
      if (!isSyscallError(e, 'EINVAL')) throw e;
    }
  }
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
