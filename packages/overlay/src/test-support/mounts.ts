import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { mountAll, unmount } from '../mount.js';
import type { Mount } from '../snapshotter.js';

/** Mounts `mounts` on a fresh dir under `parent`, runs `fn`, and always unmounts and removes the dir. */
export async function withMounted<T>(
  parent: string,
  mounts: Mount[],
  fn: (dir: string) => T | Promise<T>,
): Promise<T> {
  const dir = join(parent, `mnt-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  let mounted = false;
  try {
    mountAll(mounts, dir);
    mounted = true;
    return await fn(dir);
  } finally {
    if (mounted) unmount(dir);
    rmdirSync(dir);
  }
}
