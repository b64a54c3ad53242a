// The file work of COPY and ADD inside a mounted rootfs: Docker's destination rules (a trailing `/`
// or several sources mean a directory; a directory source copies its contents), owners 0:0 unless
// --chown, --chmod, ADD's local archive extraction. Every destination is resolved with secureJoin,
// so symlinks in the image cannot send a copy outside the rootfs.
import {
  chmodSync,
  copyFileSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  type Stats,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, posix, relative } from 'node:path';
import { secureJoin } from '@berth/runtime';
import { type SourceTree, walkTree } from './context.js';
import type { DockerIgnore } from './dockerignore.js';
import { BuildError } from './errors.js';
import { extractTarFile, looksLikeArchive } from './tar.js';

export interface Owner {
  uid: number;
  gid: number;
}

export interface CopyRequest {
  tree: SourceTree;
  /** matched source paths relative to the tree's root ('' = the root itself) */
  sources: string[];
  rootfs: string;
  /** absolute container path; a trailing `/` means a directory */
  dest: string;
  owner?: Owner;
  chmod?: number;
  /** ADD: local tar archives are unpacked into the destination */
  extractArchives?: boolean;
  /** COPY --exclude patterns, matched against paths inside a copied directory */
  exclude?: DockerIgnore;
  /** what the step is, for error messages */
  what: string;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** mkdir -p of a container path; directories it creates get `owner` (Docker chowns them too). */
export function mkdirInRoot(rootfs: string, containerPath: string, owner?: Owner): string {
  const parts = containerPath.split('/').filter((p) => p !== '' && p !== '.');
  let current = '/';
  for (const part of parts) {
    current = posix.join(current, part);
    const host = secureJoin(rootfs, current);
    const st = lstatOrUndefined(host);
    if (st?.isDirectory()) continue;
    if (st)
      throw new BuildError('EINVALID', `cannot create directory ${current}: a file is in the way`, {
        path: current,
      });
    mkdirSync(host, { mode: 0o755 });
    chmodSync(host, 0o755);
    if (owner) lchownSync(host, owner.uid, owner.gid);
  }
  return secureJoin(rootfs, containerPath);
}

function copyEntry(hostSrc: string, st: Stats, target: string, req: CopyRequest): void {
  const existing = lstatOrUndefined(target);
  if (st.isDirectory()) {
    if (existing && !existing.isDirectory()) rmSync(target, { force: true });
    if (!existing?.isDirectory()) mkdirSync(target);
  } else {
    if (existing) rmSync(target, { recursive: true, force: true });
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(hostSrc), target);
    else if (st.isFile()) copyFileSync(hostSrc, target);
    else return; // sockets, fifos and devices are not copied
  }
  const owner = req.owner ?? { uid: 0, gid: 0 };
  lchownSync(target, owner.uid, owner.gid);
  if (!st.isSymbolicLink()) {
    chmodSync(target, req.chmod ?? st.mode & 0o7777);
    utimesSync(target, st.atime, st.mtime);
  }
}

/** Copies the sources into the rootfs. */
export async function copyInto(req: CopyRequest): Promise<void> {
  const destIsDir = req.dest.endsWith('/') || req.dest.endsWith('/.');
  if (req.sources.length > 1 && !destIsDir) {
    throw new BuildError(
      'EINVALID',
      `${req.what}: when using COPY with more than one source file, the destination must be a directory and end with a /`,
    );
  }
  const destHost = secureJoin(req.rootfs, req.dest);
  const destExistsAsDir = lstatOrUndefined(destHost)?.isDirectory() ?? false;
  for (const named of req.sources) {
    // a source that is itself a symlink is followed (inside the tree), as Docker does; links
    // inside a copied directory stay links
    let src = named;
    let st = lstatSync(join(req.tree.root, src));
    if (st.isSymbolicLink()) {
      const resolved = secureJoin(req.tree.root, src);
      const st2 = lstatOrUndefined(resolved);
      if (!st2)
        throw new BuildError(
          'ENOTFOUND',
          `${req.what}: ${named} is a symlink to something that does not exist`,
          { path: named },
        );
      src = relative(req.tree.root, resolved);
      st = st2;
    }
    const hostSrc = join(req.tree.root, src);
    if (st.isDirectory()) {
      // a directory's contents go into the destination, not the directory itself
      mkdirInRoot(req.rootfs, req.dest, req.owner);
      walkTree(req.tree, src, (rel, est) => {
        if (rel === src) return;
        const inner = src === '' ? rel : rel.slice(src.length + 1);
        if (req.exclude?.ignores(inner)) return;
        const target = secureJoin(req.rootfs, posix.join(req.dest, inner));
        copyEntry(join(req.tree.root, rel), est, target, req);
      });
      continue;
    }
    if (req.extractArchives && st.isFile() && (await looksLikeArchive(hostSrc))) {
      const dir = mkdirInRoot(req.rootfs, req.dest, req.owner);
      await extractTarFile(hostSrc, dir, req.owner ? { owner: req.owner } : { keepOwners: true });
      continue;
    }
    const intoDir = destIsDir || destExistsAsDir;
    const containerTarget = intoDir ? posix.join(req.dest, posix.basename(named)) : req.dest;
    mkdirInRoot(req.rootfs, posix.dirname(containerTarget), req.owner);
    copyEntry(hostSrc, st, secureJoin(req.rootfs, containerTarget), req);
  }
}

/** Writes a heredoc's text as a file (COPY <<EOF /dest). */
export function writeHeredocFile(
  rootfs: string,
  containerPath: string,
  content: string,
  owner?: Owner,
  chmod?: number,
): void {
  mkdirInRoot(rootfs, posix.dirname(containerPath), owner);
  const target = secureJoin(rootfs, containerPath);
  if (lstatOrUndefined(target)) rmSync(target, { recursive: true, force: true });
  writeFileSync(target, content);
  chmodSync(target, chmod ?? 0o644);
  lchownSync(target, owner?.uid ?? 0, owner?.gid ?? 0);
}
