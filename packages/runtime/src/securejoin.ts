// Resolves a container path under the rootfs the way the container will see it: symlinks are
// followed as if the rootfs were `/`, so `/etc -> /host/etc` or `../../..` cannot lead out of it.
// (runc uses the securejoin library; this is the same rule, written here because it is small and
// the mounts must be resolved in TypeScript before the plan is handed to the engine.)
import { readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { RuntimeError } from './errors.js';

const MAX_LINKS = 255;

export function secureJoin(root: string, unsafe: string): string {
  const parts = unsafe.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = posix.join(root, ...done, part);
    let target: string | null = null;
    try {
      target = readlinkSync(host);
    } catch {
      // not a symlink, or missing: taken literally (the engine makes missing targets)
    }
    if (target === null) {
      done.push(part);
      continue;
    }
    if (++links > MAX_LINKS)
      throw new RuntimeError('EINVALIDSPEC', `too many symlinks resolving ${unsafe} in ${root}`, {
        path: unsafe,
      });
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return posix.join(root, ...done);
}
