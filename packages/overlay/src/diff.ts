import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { lgetxattr, llistxattr } from '@berth/native';
import { OPAQUE_WHITEOUT, OVERLAY_OPAQUE_XATTR, WHITEOUT_PREFIX } from './apply.js';
import { type Compression, compress } from './compression.js';
import { OverlayError } from './errors.js';
import type { Layout, Snapshotter } from './snapshotter.js';
import type { EntryType, TarHeader } from './tar/header.js';
import { encodeHeader, endOfArchive, padding } from './tar/writer.js';

export interface DiffOptions {
  /** Default gzip. */
  compression?: Compression;
  level?: number;
  /** Every entry gets this mtime (seconds or Date) instead of its own: for reproducible layers. */
  mtime?: number | Date;
  /** Called after each chunk with the uncompressed bytes archived so far (for progress bars). */
  onProgress?: (bytes: number) => void;
}

export interface DiffResult {
  /** Digest of the bytes written to `output` (the layer blob). */
  digest: string;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  /** Bytes written to `output`. */
  size: number;
  uncompressedSize: number;
  mediaType: string;
}

const mediaTypes: Record<Compression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/** One change: a path to archive, or a whiteout/opaque marker. */
interface Change {
  name: string;
  path: string;
  st: Stats;
  marker?: 'whiteout' | 'opaque';
}

/**
 * Writes the changes of snapshot `key` against its parent as an OCI layer tar: for the overlay
 * snapshotter, read from the upper dir (0/0 character devices become `.wh.` entries, opaque dirs a
 * `.wh..wh..opq` entry); for the native snapshotter, by comparing the tree with its parent's.
 * Entries are sorted by path, carry no user/group names, and take `mtime` when given, so the same
 * changes always give the same bytes and digests.
 */
export async function diffSnapshot(
  snapshotter: Snapshotter,
  key: string,
  output: (chunk: Buffer) => void | Promise<void>,
  options: DiffOptions = {},
): Promise<DiffResult> {
  const layout = snapshotter.layout(key);
  const compression = options.compression ?? 'gzip';
  const changes = layout.kind === 'overlay' ? upperChanges(layout) : treeChanges(layout);
  const diffHash = createHash('sha256');
  let uncompressedSize = 0;
  const fixed = options.mtime === undefined ? undefined : toSeconds(options.mtime);
  async function* tar(): AsyncGenerator<Buffer> {
    for (const chunk of tarChanges(changes, fixed)) {
      diffHash.update(chunk);
      uncompressedSize += chunk.length;
      options.onProgress?.(uncompressedSize);
      yield chunk;
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of compress(tar(), compression, options.level)) {
    hash.update(chunk);
    size += chunk.length;
    await output(chunk);
  }
  return {
    digest: `sha256:${hash.digest('hex')}`,
    diffId: `sha256:${diffHash.digest('hex')}`,
    size,
    uncompressedSize,
    mediaType: mediaTypes[compression],
  };
}

function toSeconds(t: number | Date): number {
  return t instanceof Date ? Math.floor(t.getTime() / 1000) : Math.floor(t);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function* upperChanges(layout: Layout): Generator<Change> {
  function* walk(dir: string, rel: string): Generator<Change> {
    const items = readdirSync(dir).map((name) => {
      const path = join(dir, name);
      const st = lstatSync(path);
      const whiteout = st.isCharacterDevice() && st.rdev === 0;
      return { name: whiteout ? `${WHITEOUT_PREFIX}${name}` : name, path, st, whiteout };
    });
    items.sort((a, b) => byName(a.name, b.name));
    for (const item of items) {
      const name = rel + item.name;
      if (item.whiteout) {
        yield { name, path: item.path, st: item.st, marker: 'whiteout' };
      } else if (item.st.isDirectory()) {
        yield { name: `${name}/`, path: item.path, st: item.st };
        if (lgetxattr(item.path, OVERLAY_OPAQUE_XATTR)?.toString() === 'y') {
          yield { name: `${name}/${OPAQUE_WHITEOUT}`, path: item.path, st: item.st, marker: 'opaque' };
        }
        yield* walk(item.path, `${name}/`);
      } else {
        yield { name, path: item.path, st: item.st };
      }
    }
  }
  yield* walk(layout.dir, '');
}

/** Changes of a full tree against its parent's full tree (native snapshotter). */
function* treeChanges(layout: Layout): Generator<Change> {
  const parent = layout.parents[0];
  function added(path: string, name: string, st: Stats): Change[] {
    const out: Change[] = [{ name: st.isDirectory() ? `${name}/` : name, path, st }];
    if (st.isDirectory()) {
      for (const child of readdirSync(path).sort(byName)) {
        const p = join(path, child);
        out.push(...added(p, `${name}/${child}`, lstatSync(p)));
      }
    }
    return out;
  }
  function compare(newDir: string, oldDir: string, rel: string): Change[] {
    const names = new Set([...readdirSync(newDir), ...readdirSync(oldDir)]);
    const items: { key: string; changes: Change[] }[] = [];
    for (const name of names) {
      const np = join(newDir, name);
      const op = join(oldDir, name);
      const n = lstatSync(np, { throwIfNoEntry: false });
      const o = lstatSync(op, { throwIfNoEntry: false });
      const tarName = rel + name;
      if (!n) {
        items.push({
          key: WHITEOUT_PREFIX + name,
          changes: [{ name: rel + WHITEOUT_PREFIX + name, path: op, st: o!, marker: 'whiteout' }],
        });
        continue;
      }
      if (!o || kindOf(n) !== kindOf(o)) {
        items.push({ key: name, changes: added(np, tarName, n) });
        continue;
      }
      if (n.isDirectory()) {
        const children = compare(np, op, `${tarName}/`);
        if (children.length > 0 || metaDiffers(np, op, n, o)) {
          items.push({ key: name, changes: [{ name: `${tarName}/`, path: np, st: n }, ...children] });
        }
      } else if (
        metaDiffers(np, op, n, o) ||
        n.size !== o.size ||
        n.mtimeMs !== o.mtimeMs ||
        n.rdev !== o.rdev ||
        (n.isSymbolicLink() && readlinkSync(np) !== readlinkSync(op))
      ) {
        items.push({ key: name, changes: [{ name: tarName, path: np, st: n }] });
      }
    }
    items.sort((a, b) => byName(a.key, b.key));
    return items.flatMap((i) => i.changes);
  }
  if (!parent) {
    for (const name of readdirSync(layout.dir).sort(byName)) {
      const p = join(layout.dir, name);
      yield* added(p, name, lstatSync(p));
    }
    return;
  }
  yield* compare(layout.dir, parent, '');
}

/**
 * Times compared to the millisecond: copies (copyTree) and utimes(2) from Node carry milliseconds, so
 * a finer comparison would call every copied file changed.
 */
function sameTime(n: Stats, o: Stats): boolean {
  return Math.floor(n.mtimeMs) === Math.floor(o.mtimeMs);
}

function kindOf(st: Stats): number {
  return st.mode & 0o170000;
}

function metaDiffers(np: string, op: string, n: Stats, o: Stats): boolean {
  if (n.mode !== o.mode || n.uid !== o.uid || n.gid !== o.gid) return true;
  if (n.isDirectory() && !sameTime(n, o)) return true;
  const nx = xattrsOf(np);
  const ox = xattrsOf(op);
  if (nx.size !== ox.size) return true;
  for (const [k, v] of nx) if (!ox.get(k)?.equals(v)) return true;
  return false;
}

function xattrsOf(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of llistxattr(path).sort(byName)) {
    if (name.startsWith('trusted.overlay.')) continue;
    const value = lgetxattr(path, name);
    if (value) out.set(name, value);
  }
  return out;
}

function typeOf(st: Stats): EntryType {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'file';
}

const CHUNK = 1 << 20;

function* tarChanges(changes: Iterable<Change>, fixedMtime: number | undefined): Generator<Buffer> {
  const links = new Map<number, string>();
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const c of changes) {
    const mtime = fixedMtime ?? Math.floor(c.st.mtimeMs / 1000);
    if (c.marker) {
      yield encodeHeader({
        name: c.name,
        type: 'file',
        mode: 0,
        uid: 0,
        gid: 0,
        size: 0,
        mtime,
        linkname: '',
        devmajor: 0,
        devminor: 0,
        xattrs: new Map(),
      });
      continue;
    }
    const type = typeOf(c.st);
    const header: TarHeader = {
      name: c.name,
      type,
      mode: c.st.mode & 0o7777,
      uid: c.st.uid,
      gid: c.st.gid,
      size: 0,
      mtime,
      linkname: '',
      devmajor: type === 'char' || type === 'block' ? Math.floor(c.st.rdev / 256) & 0xfff : 0,
      devminor: type === 'char' || type === 'block' ? (c.st.rdev & 0xff) | ((c.st.rdev >> 12) & 0xfff00) : 0,
      xattrs: xattrsOf(c.path),
    };
    if (type === 'symlink') header.linkname = readlinkSync(c.path);
    if (type === 'file' && c.st.nlink > 1) {
      const first = links.get(c.st.ino);
      if (first) {
        yield encodeHeader({ ...header, type: 'link', linkname: first });
        continue;
      }
      links.set(c.st.ino, c.name);
    }
    if (type !== 'file') {
      yield encodeHeader(header);
      continue;
    }
    header.size = c.st.size;
    yield encodeHeader(header);
    const fd = openSync(c.path, 'r');
    try {
      let done = 0;
      while (done < c.st.size) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, c.st.size - done), done);
        if (n === 0) {
          throw new OverlayError('EFAILEDPRECONDITION', `${c.path} shrank while it was being archived`, {
            path: c.path,
          });
        }
        yield Buffer.from(buf.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    yield padding(c.st.size);
  }
  yield endOfArchive();
}
