// Resolving a container path inside a rootfs on the host, the way the container would see it:
// symlinks are followed relative to the rootfs and `..` never climbs above it. Mount targets,
// device paths and symlink locations in an init plan are computed with this, so a hostile image
// (say /etc -> /host-etc or ../../..) cannot point a mount outside its rootfs.
// Hand-written: the npm packages for this follow host symlinks or do not clamp `..` at the root.
import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

const MAX_SYMLINKS = 255;

export class ResolveError extends Error {
  readonly code = 'ELOOP';
  constructor(readonly path: string) {
    super(`too many symlinks resolving ${path}`);
    this.name = 'ResolveError';
  }
}

/**
 * The host path of `path` inside `rootfs`. Components that do not exist (yet) are kept as they
 * are; the engine creates them as directories (or a file) before mounting.
 */
export function resolveInRoot(rootfs: string, path: string): string {
  const root = posix.resolve(rootfs);
  const pending = path.split('/').filter((c) => c !== '' && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = posix.join(root, ...done, part);
    let isLink = false;
    try {
      isLink = lstatSync(host).isSymbolicLink();
    } catch {
      // missing: keep the rest literally (no symlinks can be below a missing component)
      done.push(part);
      continue;
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new ResolveError(path);
    const target = readlinkSync(host);
    if (target.startsWith('/')) done.length = 0;
    pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
  }
  return posix.join(root, ...done);
}
