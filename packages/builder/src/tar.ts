// Reading tar streams into a directory (the build context, ADD of a local archive) without letting an
// entry leave the target: every parent is resolved inside the target with secureJoin, so `../x`,
// absolute names and symlinks pointing out of the tree all stay within it.
import {
  createReadStream,
  lchownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { secureJoin } from '@berth/runtime';
import tar from 'tar-stream';
import { BuildError } from './errors.js';

export interface ExtractOptions {
  /** skip entries for which this returns false (path relative to the archive root, no leading ./) */
  filter?: (relPath: string, type: string) => boolean;
  /** keep the owners written in the archive (ADD) instead of the extracting user's */
  keepOwners?: boolean;
  /** give every entry this owner instead */
  owner?: { uid: number; gid: number };
}

/** The archive's name cleaned to a relative path (`./a//b/` → `a/b`); '' for the root itself. */
export function cleanEntryName(name: string): string {
  const n = posix.normalize(`/${name}`).slice(1);
  return n.endsWith('/') ? n.slice(0, -1) : n;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Peeks at the first bytes: a gzip stream is gunzipped, anything else read as a plain tar. */
async function* decompressIfGzip(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 2 && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  const rest = async function* () {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  };
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) {
    const gunzip = createGunzip();
    const feeding = pipeline(rest(), gunzip);
    for await (const chunk of gunzip) yield chunk as Buffer;
    await feeding;
    return;
  }
  yield* rest();
}

/** True when the file starts like a tar (ustar magic at 257) or a gzip stream. */
export async function looksLikeArchive(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    if (bytesRead >= 2 && buf.subarray(0, 2).equals(GZIP_MAGIC)) return true;
    return bytesRead >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}

/** Extracts a (possibly gzipped) tar stream into `target`. */
export async function extractTar(
  source: AsyncIterable<Buffer | Uint8Array> | Readable,
  target: string,
  opts: ExtractOptions = {},
): Promise<number> {
  const extract = tar.extract();
  const feeding = pipeline(decompressIfGzip(source as AsyncIterable<Buffer>), extract);
  let count = 0;
  const dirTimes: [string, Date][] = [];
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const rel = cleanEntryName(h.name);
      const type = h.type ?? 'file';
      if (rel === '' || (opts.filter && !opts.filter(rel, type))) {
        entry.resume();
        continue;
      }
      const parent = secureJoin(target, dirname(rel));
      mkdirSync(parent, { recursive: true });
      const dest = join(parent, basename(rel));
      const mode = (h.mode ?? 0o644) & 0o7777;
      const existing = lstatOrUndefined(dest);
      if (existing && !(existing.isDirectory() && type === 'directory'))
        rmSync(dest, { recursive: true, force: true });
      switch (type) {
        case 'directory':
          mkdirSync(dest, { recursive: true, mode });
          if (h.mtime) dirTimes.push([dest, h.mtime]);
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file': {
          const fh = await open(dest, 'wx', mode);
          try {
            for await (const chunk of entry) await fh.write(chunk as Buffer);
            await fh.chmod(mode);
          } finally {
            await fh.close();
          }
          break;
        }
        case 'symlink':
          symlinkSync(h.linkname ?? '', dest);
          entry.resume();
          break;
        case 'link': {
          const from = secureJoin(target, cleanEntryName(h.linkname ?? ''));
          linkSync(from, dest);
          entry.resume();
          break;
        }
        default:
          // devices and fifos are not build inputs; pax headers are handled by tar-stream
          entry.resume();
          continue;
      }
      const owner = opts.owner ?? (opts.keepOwners ? { uid: h.uid ?? 0, gid: h.gid ?? 0 } : undefined);
      if (owner) lchownSync(dest, owner.uid, owner.gid);
      if (h.mtime && type !== 'symlink' && type !== 'directory') utimesSync(dest, h.mtime, h.mtime);
      count++;
    }
    await feeding;
  } catch (err) {
    feeding.catch(() => {});
    if (err instanceof BuildError) throw err;
    throw new BuildError('EINVALID', `cannot read the tar archive: ${(err as Error).message}`);
  }
  for (const [dir, time] of dirTimes.reverse()) utimesSync(dir, time, time);
  return count;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Extracts a tar file (ADD's local archives). */
export function extractTarFile(path: string, target: string, opts: ExtractOptions = {}): Promise<number> {
  return extractTar(createReadStream(path), target, opts);
}
