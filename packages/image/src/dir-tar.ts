import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { ImageError } from './errors.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type EntryHeader = Partial<tar.Header> & { name: string };

function typeOf(st: Stats): tar.Header['type'] | undefined {
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  if (st.isFile()) return 'file';
  return undefined;
}

/**
 * A tar stream of a directory tree (sorted, numeric owners, hard links kept; sockets skipped), for
 * importing a root filesystem laid out on disk. Extended attributes are not carried.
 */
export function directoryTar(root: string): Readable {
  const rootStat = lstatSync(root, { throwIfNoEntry: false });
  if (!rootStat?.isDirectory()) {
    throw new ImageError('INVALID', `${root} is not a directory`, { path: root });
  }
  const pack = tar.pack();
  const links = new Map<string, string>();
  const header = (name: string, st: Stats): EntryHeader => ({
    name,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtime: st.mtime,
  });
  const add = (h: EntryHeader, data?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      pack.entry(h, data ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
    });
  async function walk(dir: string, rel: string): Promise<void> {
    for (const name of readdirSync(dir).sort(byName)) {
      const path = join(dir, name);
      const entryName = rel + name;
      const st = lstatSync(path);
      const type = typeOf(st);
      if (type === undefined) continue;
      if (type === 'directory') {
        await add({ ...header(`${entryName}/`, st), type });
        await walk(path, `${entryName}/`);
      } else if (type === 'symlink') {
        await add({ ...header(entryName, st), type, linkname: readlinkSync(path) });
      } else if (type === 'file') {
        const inode = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? links.get(inode) : undefined;
        if (first !== undefined) {
          await add({ ...header(entryName, st), type: 'link', linkname: first });
          continue;
        }
        if (st.nlink > 1) links.set(inode, entryName);
        await new Promise<void>((resolve, reject) => {
          const entry = pack.entry({ ...header(entryName, st), type, size: st.size }, (error) =>
            error ? reject(error) : resolve(),
          );
          pipeline(createReadStream(path), entry).catch(reject);
        });
      } else {
        const devmajor = Math.floor(st.rdev / 256) & 0xfff;
        const devminor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
        await add({ ...header(entryName, st), type, devmajor, devminor });
      }
    }
  }
  walk(root, '').then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error as Error),
  );
  return pack as unknown as Readable;
}
