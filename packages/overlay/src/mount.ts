import { constants, isSyscallError, mount, umount2 } from '@berth/native';
import { OverlayError } from './errors.js';
import type { Mount } from './snapshotter.js';

/** The kernel copies mount data into one page; longer overlay options fail with EINVAL. */
const PAGE_SIZE = 4096;

const MS_RDONLY = constants.MS_RDONLY!;
const MS_BIND = constants.MS_BIND!;
const MS_REC = constants.MS_REC!;
const MS_REMOUNT = constants.MS_REMOUNT!;
const MNT_DETACH = constants.MNT_DETACH!;

/**
 * Carries out `mounts` on `target`, in order (each one stacked on the previous, as containerd does).
 * If one fails, the ones already made are unmounted again before the error is thrown.
 */
export function mountAll(mounts: Mount[], target: string): void {
  let done = 0;
  try {
    for (const m of mounts) {
      const ro = m.options.includes('ro');
      if (m.type === 'bind') {
        const rec = m.options.includes('rbind') ? MS_REC : 0;
        mount(m.source, target, null, MS_BIND | rec, null);
        done++;
        if (ro) mount(null, target, null, MS_BIND | MS_REMOUNT | MS_RDONLY | rec, null);
        continue;
      }
      mountOverlay(m, target, ro ? MS_RDONLY : 0);
      done++;
    }
  } catch (err) {
    for (; done > 0; done--) unmount(target);
    throw err;
  }
}

/**
 * Mounts overlayfs. When the options do not fit in a page (deep images: the 4 KiB limit holds about
 * 60 lowers with absolute paths), they are rewritten relative to the lowers' common parent and the
 * mount is made from that working directory, the way containerd's mount package does it. Snapshot
 * directories are short (`<root>/snapshots/<id>/fs`), so relative lowers cost ~8 bytes each, room for
 * overlayfs's own limit of 500 lowers. process.chdir is synchronous and restored in `finally`, so no
 * other JavaScript runs in between; it is not allowed in worker threads.
 */
function mountOverlay(m: Mount, target: string, flags: number): void {
  const options = m.options.filter((o) => o !== 'ro' && o !== 'rw');
  let data = options.join(',');
  if (Buffer.byteLength(data) < PAGE_SIZE) {
    mount(m.source, target, 'overlay', flags, data);
    return;
  }
  const dirs = options.flatMap((o) => {
    const [k, v] = splitOption(o);
    return k === 'lowerdir' ? v.split(':') : k === 'upperdir' || k === 'workdir' ? [v] : [];
  });
  const common = commonDir(dirs);
  const rel = (p: string) => (common === '/' ? p.slice(1) : p.slice(common.length + 1));
  data = options
    .map((o) => {
      const [k, v] = splitOption(o);
      if (k === 'lowerdir') return `lowerdir=${v.split(':').map(rel).join(':')}`;
      if (k === 'upperdir' || k === 'workdir') return `${k}=${rel(v)}`;
      return o;
    })
    .join(',');
  if (Buffer.byteLength(data) >= PAGE_SIZE) {
    throw new OverlayError(
      'EINVALIDARGUMENT',
      `overlay mount options are ${Buffer.byteLength(data)} bytes even relative to ${common}; the kernel takes ${PAGE_SIZE - 1}`,
      { path: target },
    );
  }
  const absTarget = target.startsWith('/') ? target : `${process.cwd()}/${target}`;
  const cwd = process.cwd();
  process.chdir(common);
  try {
    mount(m.source, absTarget, 'overlay', flags, data);
  } finally {
    process.chdir(cwd);
  }
}

function splitOption(o: string): [string, string] {
  const eq = o.indexOf('=');
  return eq < 0 ? [o, ''] : [o.slice(0, eq), o.slice(eq + 1)];
}

function commonDir(paths: string[]): string {
  let parts = paths[0]?.split('/') ?? [''];
  for (const p of paths.slice(1)) {
    const q = p.split('/');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  // A common prefix that is one of the paths itself must still leave a relative name: step up.
  if (paths.some((p) => p === parts.join('/'))) parts = parts.slice(0, -1);
  return parts.join('/') || '/';
}

/**
 * Unmounts `target`. EBUSY is retried a few times (a process may be leaving it); only then, as a last
 * resort, is the mount detached lazily (MNT_DETACH) and `lazy: true` returned so callers can say so.
 * A target that is not mounted (EINVAL) is not an error.
 */
export function unmount(target: string): { lazy: boolean } {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      umount2(target, 0);
      return { lazy: false };
    } catch (err) {
      if (isSyscallError(err, 'EINVAL') || isSyscallError(err, 'ENOENT')) return { lazy: false };
      if (!isSyscallError(err, 'EBUSY')) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  umount2(target, MNT_DETACH);
  return { lazy: true };
}
