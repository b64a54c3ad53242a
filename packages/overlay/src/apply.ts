import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  fchmodSync,
  fchownSync,
  constants as fsc,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  symlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { lgetxattr, llistxattr, lsetxattr, mknod } from '@berth/native';
import { decompress } from './compression.js';
import { OverlayError } from './errors.js';
import { OffThreadSha256 } from './hash-worker.js';
import type { TarHeader } from './tar/header.js';
import { TarReader } from './tar/reader.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

export interface ApplyOptions {
  /**
   * `overlay` (default): `target` is an overlay upper dir; OCI whiteouts become overlay whiteouts
   * (0/0 character devices, `trusted.overlay.opaque=y`), and `lowers` (top first) are the layers
   * below, read to resolve symlinked parents and hard links to files of lower layers.
   * `direct`: `target` is a whole tree (the native snapshotter's copy); whiteouts delete from it.
   */
  mode?: 'overlay' | 'direct';
  lowers?: string[];
  /**
   * The DiffID the image config promises for this layer. The layer is checked before it is moved
   * into place: on a mismatch nothing is applied (EDIGESTMISMATCH).
   */
  expectedDiffId?: string;
  /** Called after each chunk with the uncompressed bytes read so far (for progress bars). */
  onProgress?: (bytes: number) => void;
}

export interface ApplyResult {
  /** sha256 of the uncompressed tar: the layer's DiffID. */
  diffId: string;
  /** Uncompressed size in bytes. */
  size: number;
}

const umask = process.umask();
const euid = process.geteuid?.() ?? 0;
const egid = process.getegid?.() ?? 0;

/**
 * Streams a layer tar (uncompressed, gzip or zstd) into `target` without buffering it.
 *
 * Safety: entries are written into a staging directory beside `target` (same filesystem), and only
 * when the whole tar has been read and every entry accepted is the staging tree moved into place
 * (one rename when `target` is empty, else a merge of renames). Any refusal (`EBREAKOUT` for `../`,
 * absolute names, or a write through a symlink that leaves the root; `EBADLAYER` for malformed tars)
 * removes the staging tree and leaves `target` as it was. Parent paths are resolved here, one
 * component at a time across staging, target and lowers, following symlinks inside the root; the
 * kernel never follows a symlink for us (files are created with O_EXCL|O_NOFOLLOW).
 */
export async function applyLayer(
  target: string,
  source: AsyncIterable<Uint8Array>,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const applier = new Applier(target, options);
  const hash = new OffThreadSha256();
  let size = 0;
  try {
    const reader = new TarReader(applier);
    for await (const chunk of decompress(source)) {
      hash.update(chunk);
      size += chunk.length;
      reader.write(chunk);
      options.onProgress?.(size);
    }
    reader.end();
  } catch (err) {
    hash.abort();
    applier.abort();
    throw err;
  }
  let diffId: string;
  try {
    diffId = `sha256:${await hash.digest()}`;
    if (options.expectedDiffId !== undefined && options.expectedDiffId !== diffId) {
      throw new OverlayError(
        'EDIGESTMISMATCH',
        `layer content is ${diffId}, but ${options.expectedDiffId} was expected; nothing was applied`,
        { path: target },
      );
    }
  } catch (err) {
    applier.abort();
    throw err;
  }
  applier.finish();
  return { diffId, size };
}

interface Found {
  layer: number;
  st: Stats;
  path: string;
}

class Applier {
  readonly target: string;
  readonly staging: string;
  readonly mode: 'overlay' | 'direct';
  /** Where lookups go, in order: staging, target, then lower layers (top first). */
  readonly layers: string[];
  readonly #dirCache = new Map<string, string>();
  readonly #opaque = new Set<string>();
  readonly #deleted = new Set<string>();
  readonly #dirTimes: [string, number][] = [];
  #fd = -1;
  #current: TarHeader | undefined;
  #currentPath = '';

  constructor(target: string, options: ApplyOptions) {
    this.target = target;
    this.mode = options.mode ?? 'overlay';
    const st = lstatSync(target, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      throw new OverlayError('ENOTFOUND', `apply target ${target} is not a directory`, { path: target });
    }
    this.staging = join(
      dirname(target),
      `.berth-apply-${basename(target)}-${randomBytes(4).toString('hex')}`,
    );
    mkdirSync(this.staging, { mode: st.mode & 0o7777 });
    chmodSync(this.staging, st.mode & 0o7777);
    if (st.uid !== euid || st.gid !== egid) lchownSync(this.staging, st.uid, st.gid);
    this.layers = [this.staging, target, ...(this.mode === 'overlay' ? (options.lowers ?? []) : [])];
  }

  entry(h: TarHeader): void {
    const parts = normalize(h.name, h.name);
    if (parts.length === 0) {
      if (h.type === 'dir') this.#setMeta(this.staging, '', h);
      return;
    }
    const base = parts[parts.length - 1]!;
    const dirRel = this.#resolveDir(parts.slice(0, -1), h.name);
    if (base.startsWith(WHITEOUT_PREFIX)) {
      this.#whiteout(dirRel, base, h.name);
      return;
    }
    const rel = dirRel ? `${dirRel}/${base}` : base;
    // rel is already normalised (no ".", "..", or empty parts): plain concatenation, not path.join.
    const abs = `${this.staging}/${rel}`;
    if (h.type === 'file') {
      // The common case first: a new file. O_EXCL|O_NOFOLLOW never writes through what is there; if
      // something is (a duplicate entry), it is replaced below. This saves an lstat per file.
      const flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW;
      try {
        this.#fd = openSync(abs, flags, h.mode & 0o777);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        rmSync(abs, { recursive: true, force: true });
        this.#dirCache.clear();
        this.#fd = openSync(abs, flags, h.mode & 0o777);
      }
      this.#current = h;
      this.#currentPath = abs;
      return;
    }
    const existing = lstatSync(abs, { throwIfNoEntry: false });
    if (existing) {
      if (existing.isDirectory() && h.type === 'dir') {
        this.#setMeta(abs, rel, h);
        return;
      }
      rmSync(abs, { recursive: true, force: true });
      this.#dirCache.clear();
    }
    switch (h.type) {
      case 'dir':
        mkdirSync(abs, { mode: h.mode & 0o777 });
        this.#setMeta(abs, rel, h);
        return;
      case 'symlink':
        symlinkSync(h.linkname, abs);
        this.#dirCache.clear();
        this.#setMeta(abs, rel, h);
        return;
      case 'link':
        this.#hardlink(abs, h);
        return;
      case 'char':
      case 'block':
      case 'fifo': {
        const kind = h.type === 'char' ? fsc.S_IFCHR : h.type === 'block' ? fsc.S_IFBLK : fsc.S_IFIFO;
        mknod(abs, kind | (h.mode & 0o777), h.devmajor, h.devminor);
        this.#setMeta(abs, rel, h);
        return;
      }
    }
  }

  data(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.#fd, chunk, off, chunk.length - off);
  }

  entryEnd(): void {
    const h = this.#current;
    if (!h || this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.#current = undefined;
    try {
      if (h.uid !== euid || h.gid !== egid) fchownSync(fd, h.uid, h.gid);
      // chown clears setuid/setgid, and open(2) applied the umask: set the mode again only when needed.
      if ((h.mode & 0o7000) !== 0 || (h.mode & umask & 0o777) !== 0) fchmodSync(fd, h.mode & 0o7777);
      this.#setXattrs(this.#currentPath, h);
      futimesSync(fd, h.mtime, h.mtime);
    } finally {
      closeSync(fd);
    }
  }

  /** Entry metadata for everything but regular files: owner, mode, xattrs, times. */
  #setMeta(abs: string, rel: string, h: TarHeader): void {
    if (h.uid !== euid || h.gid !== egid) lchownSync(abs, h.uid, h.gid);
    if (h.type !== 'symlink') chmodSync(abs, h.mode & 0o7777);
    this.#setXattrs(abs, h);
    if (h.type === 'dir') this.#dirTimes.push([rel, h.mtime]);
    else lutimesSync(abs, h.mtime, h.mtime);
  }

  #setXattrs(abs: string, h: TarHeader): void {
    for (const [name, value] of h.xattrs) {
      // A layer must not forge overlayfs's own attributes (redirects, opaque markers): only the
      // applier writes those, from whiteout entries.
      if (name.startsWith('trusted.overlay.')) continue;
      try {
        lsetxattr(abs, name, value);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Filesystems without a namespace (e.g. security.selinux where SELinux is off) are skipped, as containerd does.
        if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      }
    }
  }

  #whiteout(dirRel: string, base: string, entry: string): void {
    this.#dirCache.clear();
    const dirAbs = join(this.staging, dirRel);
    if (base === OPAQUE_WHITEOUT) {
      this.#opaque.add(dirRel);
      if (this.mode === 'overlay') lsetxattr(dirAbs, OVERLAY_OPAQUE_XATTR, Buffer.from('y'));
      return;
    }
    const name = base.slice(WHITEOUT_PREFIX.length);
    if (!name || name === '.' || name === '..') {
      throw new OverlayError('EBADLAYER', `invalid whiteout entry ${JSON.stringify(entry)}`, { entry });
    }
    const rel = dirRel ? `${dirRel}/${name}` : name;
    const abs = join(this.staging, rel);
    rmSync(abs, { recursive: true, force: true });
    if (this.mode === 'overlay') mknod(abs, fsc.S_IFCHR, 0, 0);
    else this.#deleted.add(rel);
  }

  #hardlink(abs: string, h: TarHeader): void {
    const parts = normalize(h.linkname, h.name);
    if (parts.length === 0) {
      throw new OverlayError('EBADLAYER', `hard link ${h.name} to the root`, { entry: h.name });
    }
    const dirRel = this.#resolveDir(parts.slice(0, -1), h.name);
    const srcRel = dirRel ? `${dirRel}/${parts[parts.length - 1]}` : parts[parts.length - 1]!;
    const found = this.#lookup(srcRel);
    if (!found || found.st.isDirectory()) {
      throw new OverlayError(
        'EBADLAYER',
        `hard link ${h.name} -> ${h.linkname}: no such file in the layer or below`,
        {
          entry: h.name,
        },
      );
    }
    const stagingSrc = join(this.staging, srcRel);
    if (found.layer >= 2) {
      // The file lives in a read-only lower layer: copy it up first (as overlayfs does on link(2)),
      // so the new link never shares an inode with an immutable layer.
      copyUp(found.path, stagingSrc, found.st);
      linkSync(stagingSrc, abs);
    } else {
      linkSync(found.path, abs);
    }
  }

  /** Looks `rel` up in staging, target and lowers; whiteouts and opaque/deleted ancestors hide lower copies. */
  #lookup(rel: string): Found | undefined {
    const limit = this.#hidden(rel) ? 1 : this.layers.length;
    for (let i = 0; i < limit; i++) {
      const path = join(this.layers[i]!, rel);
      let st: Stats | undefined;
      try {
        st = lstatSync(path, { throwIfNoEntry: false });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        throw err;
      }
      if (!st) continue;
      if (st.isCharacterDevice() && st.rdev === 0) return undefined;
      return { layer: i, st, path };
    }
    return undefined;
  }

  #hidden(rel: string): boolean {
    if (this.#opaque.size === 0 && this.#deleted.size === 0) return false;
    if (this.#deleted.has(rel)) return true;
    if (this.#opaque.has('')) return true;
    for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
      const prefix = rel.slice(0, i);
      if (this.#opaque.has(prefix) || this.#deleted.has(prefix)) return true;
    }
    return false;
  }

  /**
   * The real (symlink-free) relative path of directory `parts`, made to exist in staging. Symlinks
   * met on the way are followed inside the root (absolute targets from the root); one that would
   * leave the root is refused.
   */
  #resolveDir(parts: string[], entry: string): string {
    if (parts.length === 0) return '';
    const key = parts.join('/');
    const cached = this.#dirCache.get(key);
    if (cached !== undefined) return cached;
    const cur: string[] = [];
    const todo = [...parts];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (cur.length === 0) {
          throw new OverlayError(
            'EBREAKOUT',
            `layer entry ${JSON.stringify(entry)} goes through a symlink out of the root`,
            {
              entry,
            },
          );
        }
        cur.pop();
        continue;
      }
      const rel = cur.length ? `${cur.join('/')}/${c}` : c;
      const found = this.#lookup(rel);
      if (!found) {
        mkdirSync(join(this.staging, rel), { mode: 0o755 });
      } else if (found.st.isSymbolicLink()) {
        if (++hops > 40)
          throw new OverlayError('EBADLAYER', `too many symlinks resolving ${entry}`, { entry });
        const link = readlinkSync(found.path);
        if (link.startsWith('/')) cur.length = 0;
        todo.unshift(...link.split('/'));
        continue;
      } else if (found.st.isDirectory()) {
        if (found.layer !== 0) copyUpDir(found.path, join(this.staging, rel), found.st);
      } else {
        throw new OverlayError(
          'EBADLAYER',
          `layer entry ${JSON.stringify(entry)}: ${rel} is not a directory`,
          {
            entry,
          },
        );
      }
      cur.push(c);
    }
    const resolved = cur.join('/');
    this.#dirCache.set(key, resolved);
    return resolved;
  }

  abort(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    rmSync(this.staging, { recursive: true, force: true });
  }

  /** Moves the accepted staging tree into the target. */
  finish(): void {
    try {
      if (this.mode === 'direct') {
        for (const rel of this.#deleted) rmSync(join(this.target, rel), { recursive: true, force: true });
      }
      if (readdirSync(this.target).length === 0) {
        rmdirSync(this.target);
        renameSync(this.staging, this.target);
      } else {
        copyMeta(this.staging, this.target);
        this.#merge('');
        rmSync(this.staging, { recursive: true, force: true });
      }
      for (const [rel, mtime] of this.#dirTimes) utimesSync(join(this.target, rel), mtime, mtime);
    } catch (err) {
      rmSync(this.staging, { recursive: true, force: true });
      throw err;
    }
  }

  #merge(rel: string): void {
    const sdir = join(this.staging, rel);
    for (const name of readdirSync(sdir)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const s = join(sdir, name);
      const t = join(this.target, childRel);
      const sst = lstatSync(s);
      const tst = lstatSync(t, { throwIfNoEntry: false });
      if (sst.isDirectory() && tst?.isDirectory() && !this.#opaque.has(childRel)) {
        copyMeta(s, t);
        this.#merge(childRel);
      } else {
        if (tst) rmSync(t, { recursive: true, force: true });
        renameSync(s, t);
      }
    }
  }
}

/** Splits a tar path into components; refuses absolute paths and `..` (path traversal). */
function normalize(name: string, entry: string): string[] {
  if (name.startsWith('/')) {
    throw new OverlayError('EBREAKOUT', `layer entry ${JSON.stringify(entry)} has an absolute path`, {
      entry,
    });
  }
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      throw new OverlayError('EBREAKOUT', `layer entry ${JSON.stringify(entry)} climbs out with ".."`, {
        entry,
      });
    }
    out.push(part);
  }
  return out;
}

function copyXattrs(from: string, to: string): void {
  for (const name of llistxattr(from)) {
    const value = lgetxattr(from, name);
    if (value) lsetxattr(to, name, value);
  }
}

/** Gives `to` (a directory) the owner, mode, xattrs and times of `from`. */
function copyMeta(from: string, to: string): void {
  const st = lstatSync(from);
  const tst = lstatSync(to);
  if (st.uid !== tst.uid || st.gid !== tst.gid) lchownSync(to, st.uid, st.gid);
  chmodSync(to, st.mode & 0o7777);
  copyXattrs(from, to);
}

function copyUpDir(from: string, to: string, st: Stats): void {
  mkdirSync(to, { mode: st.mode & 0o777 });
  if (st.uid !== euid || st.gid !== egid) lchownSync(to, st.uid, st.gid);
  chmodSync(to, st.mode & 0o7777);
  copyXattrs(from, to);
  utimesSync(to, st.atime, st.mtime);
}

function copyUp(from: string, to: string, st: Stats): void {
  copyFileSync(from, to);
  if (st.uid !== euid || st.gid !== egid) lchownSync(to, st.uid, st.gid);
  chmodSync(to, st.mode & 0o7777);
  copyXattrs(from, to);
  utimesSync(to, st.atime, st.mtime);
}
