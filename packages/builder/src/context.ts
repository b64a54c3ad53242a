// The build context: a directory, or a tar stream (the body of POST /build) unpacked into a temp
// directory. Holds the Dockerfile text and the .dockerignore rules, finds COPY/ADD sources (Docker's
// globs, never leaving the root), and checksums them for the build cache.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { secureJoin } from '@berth/runtime';
import { DockerIgnore, globToRegExp } from './dockerignore.js';
import { BuildError } from './errors.js';
import { cleanEntryName, extractTar } from './tar.js';

export interface ContextOptions {
  /** the Dockerfile's path inside the context (default `Dockerfile`) */
  dockerfile?: string;
  /** where a tar context is unpacked (default: the OS temp dir) */
  tmpDir?: string;
  /** false: a context without a Dockerfile is fine (the Dockerfile text comes from elsewhere) */
  requireDockerfile?: boolean;
}

/** A tree files are copied from: the context (with its .dockerignore) or another stage's rootfs. */
export interface SourceTree {
  root: string;
  ignore?: DockerIgnore;
}

export class BuildContext implements SourceTree {
  private constructor(
    readonly root: string,
    readonly dockerfile: string,
    readonly dockerfileText: string,
    readonly ignore: DockerIgnore,
    private readonly owned: boolean,
  ) {}

  /** A context from a directory on this machine. */
  static fromDir(dir: string, opts: ContextOptions = {}): BuildContext {
    if (!existsSync(dir) || !lstatSync(dir).isDirectory()) {
      throw new BuildError('ENOTFOUND', `build context ${dir} is not a directory`, { path: dir });
    }
    return BuildContext.load(realpathSync(dir), opts, false);
  }

  /**
   * A context from a tar stream (plain or gzip), as `docker build` sends it. Files the
   * .dockerignore excludes are not unpacked (the Dockerfile and .dockerignore always are).
   */
  static async fromTar(
    stream: Readable | AsyncIterable<Buffer>,
    opts: ContextOptions = {},
  ): Promise<BuildContext> {
    const root = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'berth-build-context-'));
    try {
      const { head, rest } = await peek(stream as AsyncIterable<Buffer>, 512);
      const kind = sniff(head);
      if (kind === 'bzip2' || kind === 'xz') {
        throw new BuildError(
          'EUNSUPPORTED',
          `${kind} compressed build contexts are not supported; send a plain or gzip tar`,
        );
      }
      if (kind === 'dockerfile') {
        // `docker build - < Dockerfile`: the body is the Dockerfile itself and the context is empty
        const chunks: Buffer[] = [];
        for await (const c of rest) chunks.push(c);
        writeFileSync(join(root, 'Dockerfile'), Buffer.concat(chunks));
        return BuildContext.load(root, { ...opts, dockerfile: 'Dockerfile' }, true);
      }
      await extractTar(rest, root);
      return BuildContext.load(root, opts, true);
    } catch (err) {
      rmSync(root, { recursive: true, force: true });
      throw err;
    }
  }

  private static load(root: string, opts: ContextOptions, owned: boolean): BuildContext {
    const dockerfile = cleanEntryName(opts.dockerfile ?? 'Dockerfile');
    const candidates = opts.dockerfile ? [dockerfile] : ['Dockerfile', 'dockerfile'];
    const found = candidates.find((c) => isFile(join(root, c)));
    if (!found && opts.requireDockerfile === false) {
      const ignore = isFile(join(root, '.dockerignore'))
        ? DockerIgnore.parse(readFileSync(join(root, '.dockerignore'), 'utf8'))
        : new DockerIgnore([]);
      return new BuildContext(root, dockerfile, '', ignore, owned);
    }
    if (!found) {
      throw new BuildError('ENOTFOUND', `cannot find ${dockerfile} in the build context`, {
        path: dockerfile,
      });
    }
    const text = readFileSync(join(root, found), 'utf8');
    // buildkit reads <Dockerfile>.dockerignore first when it exists
    const ignoreFile = [`${found}.dockerignore`, '.dockerignore'].find((f) => isFile(join(root, f)));
    const ignore = ignoreFile
      ? DockerIgnore.parse(readFileSync(join(root, ignoreFile), 'utf8'))
      : new DockerIgnore([]);
    return new BuildContext(root, found, text, ignore, owned);
  }

  /** Removes the unpacked copy of a tar context (a directory context is left alone). */
  dispose(): void {
    if (this.owned) rmSync(this.root, { recursive: true, force: true });
  }
}

/** The first `n` bytes of a stream (fewer if it is shorter) and the whole stream again. */
async function peek(
  source: AsyncIterable<Buffer | Uint8Array>,
  n: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.from(r.value);
    seen.push(b);
    size += b.length;
  }
  const head = Buffer.concat(seen);
  const rest = (async function* () {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  })();
  return { head: head.subarray(0, n), rest };
}

/** What a POST /build body is, from its first bytes (Docker's own detection order). */
function sniff(head: Buffer): 'gzip' | 'bzip2' | 'xz' | 'tar' | 'dockerfile' {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  // an empty body is an empty tar; anything else that is not an archive is a Dockerfile
  return head.length === 0 ? 'tar' : 'dockerfile';
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

const CHUNK = Buffer.alloc(1 << 20);

/** Feeds a file to the hash in 1 MiB reads (contexts can hold files larger than memory wants). */
function hashFile(h: ReturnType<typeof createHash>, path: string): void {
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, CHUNK); n > 0; n = readSync(fd, CHUNK)) h.update(CHUNK.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

const GLOB_CHARS = /[*?[\\]/;

/**
 * The paths (relative to the tree's root) a COPY source names: a plain path, or a glob matched one
 * path component at a time (`*` does not cross `/`, as Go's filepath.Match). Paths excluded by the
 * .dockerignore are not found; `..` cannot leave the root.
 */
export function matchSources(tree: SourceTree, source: string): string[] {
  const clean = cleanEntryName(source);
  if (clean === '') return [''];
  const parts = clean.split('/');
  let current = [''];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of current) {
      if (!GLOB_CHARS.test(part)) {
        const p = dir === '' ? part : `${dir}/${part}`;
        if (lstatOrUndefined(join(tree.root, p))) next.push(p);
        continue;
      }
      const st = lstatOrUndefined(join(tree.root, dir));
      if (!st?.isDirectory()) continue;
      const re = globToRegExp(part);
      for (const name of readdirSync(join(tree.root, dir)).sort()) {
        if (re.test(name)) next.push(dir === '' ? name : `${dir}/${name}`);
      }
    }
    current = next;
  }
  return current.filter((p) => !tree.ignore?.ignores(p) || (tree.ignore && isDirWithIncluded(tree, p)));
}

/** An ignored directory still counts when an exception re-includes something below it. */
function isDirWithIncluded(tree: SourceTree, rel: string): boolean {
  return Boolean(lstatOrUndefined(join(tree.root, rel))?.isDirectory() && tree.ignore?.mayIncludeBelow(rel));
}

/** Calls `fn` for `rel` and everything below it that the .dockerignore leaves in, parents first. */
export function walkTree(tree: SourceTree, rel: string, fn: (rel: string, st: Stats) => void): void {
  const st = lstatOrUndefined(join(tree.root, rel));
  if (!st) return;
  const ignored = rel !== '' && tree.ignore?.ignores(rel);
  if (!ignored) fn(rel, st);
  if (!st.isDirectory()) return;
  if (ignored && !tree.ignore?.mayIncludeBelow(rel)) return;
  for (const name of readdirSync(join(tree.root, rel)).sort()) {
    walkTree(tree, rel === '' ? name : posix.join(rel, name), fn);
  }
}

/**
 * A digest of what COPY would copy from `sources`: names, types, permission bits and contents
 * (not times or owners, like Docker's content checksums), so an unchanged file keeps its cache.
 */
export function checksumSources(tree: SourceTree, sources: string[]): string {
  const h = createHash('sha256');
  for (const named of sources) {
    h.update(`source ${named}\0`);
    // COPY follows a source that is a symlink: its target's content is what counts
    let src = named;
    if (lstatOrUndefined(join(tree.root, src))?.isSymbolicLink())
      src = relative(tree.root, secureJoin(tree.root, src));
    walkTree(tree, src, (rel, st) => {
      const path = join(tree.root, rel);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) h.update(`d ${rel} ${mode}\0`);
      else if (st.isSymbolicLink()) h.update(`l ${rel} ${readlinkSync(path)}\0`);
      else if (st.isFile()) {
        h.update(`f ${rel} ${mode} ${st.size}\0`);
        hashFile(h, path);
      }
    });
  }
  return `sha256:${h.digest('hex')}`;
}
