// The container's filesystem for `docker cp`, `docker export` and `docker diff`: a running
// container's root is reached through /proc/<pid>/root; a stopped one's snapshot is mounted on a
// private directory for the duration of the call. Paths given by users are resolved inside the root
// (symlinks confined), and tars never follow symlinks.
import {
  chmodSync,
  cpSync,
  createReadStream,
  createWriteStream,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmdirSync,
  type Stats,
  symlinkSync,
} from 'node:fs';
import { chmod, chown, lchown, link, mkdir, rm, utimes } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mountAll, unmount } from '@berth/overlay';
import { secureJoin } from '@berth/runtime';
import * as tar from 'tar-stream';
import type { Mount } from './deps.js';
import { invalid, notFound } from './errors.js';
import { layersOf } from './rootfs-reader.js';

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode bits, which the docker CLI decodes from the path stat header. */
function goMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m |= 0x80000000;
  if (st.isSymbolicLink()) m |= 0x08000000;
  if (st.isFIFO()) m |= 0x02000000;
  if (st.isSocket()) m |= 0x01000000;
  if (st.isCharacterDevice()) m |= 0x04000000 | 0x00200000;
  if (st.isBlockDevice()) m |= 0x04000000;
  if (st.mode & 0o4000) m |= 0x00800000;
  if (st.mode & 0o2000) m |= 0x00400000;
  if (st.mode & 0o1000) m |= 0x00100000;
  return m >>> 0;
}

/** Runs `fn` with a host path of the container's root filesystem. */
export async function withRootfs<T>(
  opts: { pid?: number; mounts: () => Mount[]; scratch: string; writable?: boolean },
  fn: (root: string) => Promise<T>,
): Promise<T> {
  if (opts.pid && existsSync(`/proc/${opts.pid}/root`)) return fn(`/proc/${opts.pid}/root`);
  mkdirSync(opts.scratch, { recursive: true, mode: 0o700 });
  const mounts = opts.writable
    ? opts.mounts()
    : opts.mounts().map((m) => ({ ...m, options: m.options.filter((o) => o !== 'rw').concat('ro') }));
  mountAll(mounts as Parameters<typeof mountAll>[0], opts.scratch);
  try {
    return await fn(opts.scratch);
  } finally {
    unmount(opts.scratch);
    rmdirSync(opts.scratch);
  }
}

/** The host path of a container path (the final component itself is not followed when `noFollow`). */
export function resolveIn(root: string, path: string, noFollow = false): string {
  if (!path.startsWith('/')) throw invalid(`path must be absolute: ${path}`);
  const clean = posix.normalize(path);
  if (!noFollow || clean === '/') return secureJoin(root, clean);
  return join(secureJoin(root, posix.dirname(clean)), posix.basename(clean));
}

export function statPath(root: string, path: string): PathStat {
  const host = resolveIn(root, path, true);
  let st: Stats;
  try {
    st = lstatSync(host);
  } catch {
    throw notFound(`Could not find the file ${path} in container`);
  }
  return {
    name: posix.basename(posix.normalize(path)) || '/',
    size: st.size,
    mode: goMode(st),
    mtime: st.mtime.toISOString(),
    linkTarget: st.isSymbolicLink() ? readlinkSync(host) : '',
  };
}

/** A tar of `hostPath` (recursively, symlinks as links), entries named under `name`. */
export function tarOf(hostPath: string, name: string): Readable {
  const pack = tar.pack();
  const add = async (p: string, entryName: string): Promise<void> => {
    const st = lstatSync(p);
    const base = { name: entryName, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      pack.entry({ ...base, type: 'directory' });
      for (const child of readdirSync(p).sort()) await add(join(p, child), `${entryName}/${child}`);
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...base, type: 'symlink', linkname: readlinkSync(p) });
    } else if (st.isFile()) {
      const entry = pack.entry({ ...base, type: 'file', size: st.size });
      await pipeline(createReadStream(p), entry);
    } else if (st.isFIFO()) {
      pack.entry({ ...base, type: 'fifo' });
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const rdev = Number(st.rdev);
      pack.entry({
        ...base,
        type: st.isCharacterDevice() ? 'character-device' : 'block-device',
        devmajor: (rdev >> 8) & 0xfff,
        devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
      });
    }
  };
  add(hostPath, name)
    .then(() => pack.finalize())
    .catch((e) => pack.destroy(e));
  return pack as unknown as Readable;
}

/** Extracts a tar into the container directory `hostDir`, every entry confined to `root`. */
export async function extractInto(root: string, containerDir: string, body: Readable): Promise<void> {
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const run = async () => {
        const rel = posix.normalize(`/${header.name}`);
        const target = resolveIn(root, posix.join(containerDir, rel), true);
        await mkdir(dirname(target), { recursive: true });
        switch (header.type) {
          case 'directory':
            await mkdir(target, { recursive: true });
            await chmod(target, (header.mode ?? 0o755) & 0o7777);
            break;
          case 'symlink':
            await rm(target, { force: true });
            symlinkSync(header.linkname ?? '', target);
            break;
          case 'link': {
            const from = resolveIn(
              root,
              posix.join(containerDir, posix.normalize(`/${header.linkname ?? ''}`)),
              true,
            );
            await rm(target, { force: true });
            await link(from, target);
            break;
          }
          case 'file':
          case 'contiguous-file':
            await rm(target, { force: true, recursive: false }).catch(() => {});
            await pipeline(stream, createWriteStream(target, { mode: (header.mode ?? 0o644) & 0o7777 }));
            await chmod(target, (header.mode ?? 0o644) & 0o7777);
            break;
          default:
            break;
        }
        stream.resume();
        if (header.type !== 'symlink') {
          await chown(target, header.uid ?? 0, header.gid ?? 0).catch(() => {});
          if (header.mtime) await utimes(target, header.mtime, header.mtime).catch(() => {});
        } else await lchown(target, header.uid ?? 0, header.gid ?? 0).catch(() => {});
      };
      run().then(
        () => next(),
        (e) => next(e),
      );
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  body.pipe(extract);
  await done;
}

export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** `docker diff` from the snapshot's upper layer: whiteouts are deletions, the rest added or changed. */
export function changesOf(mounts: Mount[], mountPoints: readonly string[] = []): Change[] {
  const [upper, ...lowers] = layersOf(mounts);
  if (!upper || lowers.length === 0) return [];
  const out: Change[] = [];
  const inLower = (p: string) => lowers.some((l) => existsSync(join(l, p)));
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isCharacterDevice() && Number(st.rdev) === 0) {
        out.push({ Path: r, Kind: 2 });
        continue;
      }
      out.push({ Path: r, Kind: inLower(r) ? 0 : 1 });
      if (st.isDirectory()) walk(p, r);
    }
  };
  walk(upper, '');
  // mount points the runtime made (/etc/hosts, volumes …) are not the container's changes, nor are
  // directories that changed only because of them
  const hidden = new Set(mountPoints);
  const kept = out.filter((c) => !hidden.has(c.Path));
  return kept.filter(
    (c) =>
      c.Kind !== 0 || !lstatSafeDir(join(upper, c.Path)) || kept.some((o) => o.Path.startsWith(`${c.Path}/`)),
  );
}

function lstatSafeDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a directory is empty (a fresh volume). */
export function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/**
 * Docker's copy-up: an empty volume mounted over a path of the image gets the image's content there,
 * with modes, owners, symlinks and times kept; the volume's root takes the directory's mode and owner.
 */
export function copyImageContent(src: string, dst: string): void {
  const st = lstatSync(src);
  if (!st.isDirectory()) return;
  cpSync(src, dst, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true,
    force: false,
    errorOnExist: false,
  });
  const fixOwners = (from: string, to: string) => {
    const s = lstatSync(from);
    lchownSync(to, s.uid, s.gid);
    if (s.isDirectory()) for (const name of readdirSync(from)) fixOwners(join(from, name), join(to, name));
  };
  fixOwners(src, dst);
  chmodSync(dst, st.mode & 0o7777);
}
