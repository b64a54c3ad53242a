// Copies a tree with everything a root filesystem needs. Hand-written because fs.cpSync keeps neither
// ownership, xattrs, device nodes nor hard links.

import type { Stats } from 'node:fs';
import {
  chmodSync,
  copyFileSync,
  constants as fsc,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { lgetxattr, llistxattr, lsetxattr, mknod } from '@berth/native';

/** Copies the contents of `from` into the existing directory `to` (reflinks where the filesystem can). */
export function copyTree(from: string, to: string): void {
  const links = new Map<number, string>();
  const dirs: [string, Date, Date][] = [];
  const copyMeta = (src: string, dst: string, st: Stats, symlink: boolean) => {
    lchownSync(dst, st.uid, st.gid);
    if (!symlink) chmodSync(dst, st.mode & 0o7777);
    for (const name of llistxattr(src)) {
      const value = lgetxattr(src, name);
      if (value) lsetxattr(dst, name, value);
    }
  };
  const walk = (src: string, dst: string) => {
    for (const name of readdirSync(src)) {
      const s = join(src, name);
      const d = join(dst, name);
      const st = lstatSync(s);
      if (st.isFile() && st.nlink > 1) {
        const first = links.get(st.ino);
        if (first) {
          linkSync(first, d);
          continue;
        }
        links.set(st.ino, d);
      }
      if (st.isDirectory()) {
        mkdirSync(d, { mode: 0o700 });
        copyMeta(s, d, st, false);
        walk(s, d);
        dirs.push([d, st.atime, st.mtime]);
        continue;
      }
      if (st.isFile()) copyFileSync(s, d, fsc.COPYFILE_FICLONE);
      else if (st.isSymbolicLink()) symlinkSync(readlinkSync(s), d);
      else
        mknod(d, st.mode, Math.floor(st.rdev / 256) & 0xfff, (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00));
      copyMeta(s, d, st, st.isSymbolicLink());
      lutimesSync(d, st.atime, st.mtime);
    }
  };
  walk(from, to);
  const root = lstatSync(from);
  copyMeta(from, to, root, false);
  for (const [d, atime, mtime] of dirs) utimesSync(d, atime, mtime);
  utimesSync(to, root.atime, root.mtime);
}
