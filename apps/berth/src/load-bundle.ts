// Loads the bundled command line (one CommonJS file) through vm.Script with V8's code cache, so a
// command skips parsing and compiling ~700 KB of JavaScript (zod, the API client, the commands) on
// every start. Node 20 has no compile cache of its own for this (module.enableCompileCache is 22.1+).
//
// The cache is only ever an accelerator: when it is missing, stale, corrupt, not ours or unwritable,
// the bundle is compiled from source as without it. Soundness:
//  - the file name and header carry a SHA-1 of the exact source, Node's and V8's versions, the
//    architecture and the node binary (path, size, mtime), so an edited or rebuilt bundle or another
//    node never meets an old cache (V8 itself only compares the source's length and its version);
//  - the header carries a SHA-1 of the payload, so a damaged file is ignored (release V8 builds do not
//    verify the payload);
//  - V8 still rejects data made with other flags (script.cachedDataRejected), and then it is rewritten;
//  - bytecode is code: the cache directory and file must belong to the effective user and be writable
//    by nobody else (so `sudo berth` with another user's HOME never runs that user's bytecode);
//  - writes go to a fresh temp file (O_EXCL) renamed into place, so readers see whole files only.
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

const MAGIC = Buffer.from('BERTHCC1');
const HASH_LEN = 20;
const HEADER_LEN = MAGIC.length + 2 * HASH_LEN;
/** Builds whose caches are kept beside the current one's (another checkout or version in use). */
const KEEP_OTHER_BUILDS = 2;
/** A temp file this old was left by a process that died between write and rename. */
const STALE_TMP_MS = 10 * 60_000;

export type CacheState = 'disabled' | 'missing' | 'accepted' | 'rejected';

export interface LoadedBundle<T> {
  exports: T;
  /** What happened to the cache at load: used, absent, refused (by us or by V8), or turned off. */
  readonly cache: CacheState;
  /**
   * Writes the code cache when this load did not use one. Call it after the command ran: V8 then
   * includes the functions compiled while running, not only the top level. Never throws.
   */
  persist(): void;
}

/**
 * Where the cache lives: $BERTH_COMPILE_CACHE, else $XDG_CACHE_HOME/berth, else $HOME/.cache/berth;
 * undefined (no cache) when BERTH_DISABLE_COMPILE_CACHE=1 or there is no home.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.BERTH_DISABLE_COMPILE_CACHE === '1') return undefined;
  if (env.BERTH_COMPILE_CACHE) return env.BERTH_COMPILE_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'berth');
  if (env.HOME) return join(env.HOME, '.cache', 'berth');
  return undefined;
}

const euid = (): number | undefined => process.geteuid?.();

/** Ours and writable by nobody else (no symlink); for the directory and for each cache file. */
function trusted(st: { uid: number; mode: number }): boolean {
  const uid = euid();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

/** The cache directory, made (0700) when absent; undefined when it cannot be trusted. */
function usableDir(dir: string, create: boolean): string | undefined {
  try {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (st) return st.isDirectory() && trusted(st) ? dir : undefined;
    if (!create) return undefined;
    // the nearest existing ancestor must be ours too: never create our files in another user's home
    let up = dirname(dir);
    while (!lstatSync(up, { throwIfNoEntry: false }) && dirname(up) !== up) up = dirname(up);
    if (!trusted(statSync(up))) return undefined;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return usableDir(dir, false);
  } catch {
    return undefined;
  }
}

function sha1(...parts: (string | Buffer)[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** What a cache must have been made for: this exact source, run by this node binary. */
export function bundleCacheKey(source: Buffer): Buffer {
  let binary = process.execPath;
  try {
    const st = statSync(process.execPath);
    binary += `\0${st.size}\0${st.mtimeMs}`;
  } catch {
    // the path and versions still count
  }
  return sha1(source, '\0', process.version, '\0', process.versions.v8, '\0', process.arch, '\0', binary);
}

/** The cache's payload when the file is whole, ours and made for exactly this source; else undefined. */
function readCache(file: string, key: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !trusted(st) || st.size <= HEADER_LEN) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    if (readSync(fd, buf, 0, st.size, 0) !== st.size) return undefined;
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (!buf.subarray(MAGIC.length, MAGIC.length + HASH_LEN).equals(key)) return undefined;
    const payload = buf.subarray(HEADER_LEN);
    if (!sha1(payload).equals(buf.subarray(MAGIC.length + HASH_LEN, HEADER_LEN))) return undefined;
    return payload;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function writeCache(dir: string, file: string, prefix: string, key: Buffer, payload: Buffer): void {
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, Buffer.concat([MAGIC, key, sha1(payload), payload]), { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
    return;
  }
  prune(dir, prefix, key.toString('hex').slice(0, 16));
}

/**
 * Keeps the caches of this build and of the two builds used most recently before it; removes the
 * rest, and temp files that a killed writer left behind.
 */
function prune(dir: string, prefix: string, currentKey: string): void {
  try {
    const builds = new Map<string, { newest: number; paths: string[] }>();
    for (const n of readdirSync(dir)) {
      const path = join(dir, n);
      if (n.startsWith(`.${prefix}`) && n.endsWith('.tmp')) {
        if (Date.now() - statSync(path).mtimeMs > STALE_TMP_MS) rmSync(path, { force: true });
        continue;
      }
      if (!n.startsWith(prefix) || !n.endsWith('.v8cache')) continue;
      const build = n.slice(prefix.length, prefix.length + 16);
      if (build === currentKey) continue;
      const b = builds.get(build) ?? { newest: 0, paths: [] };
      b.newest = Math.max(b.newest, statSync(path).mtimeMs);
      b.paths.push(path);
      builds.set(build, b);
    }
    const old = [...builds.values()].sort((a, b) => b.newest - a.newest).slice(KEEP_OTHER_BUILDS);
    for (const b of old) for (const p of b.paths) rmSync(p, { force: true });
  } catch {
    // housekeeping only; a concurrent berth may have removed the same files
  }
}

/**
 * Compiles and runs the CommonJS bundle at `path` (its module.exports is returned), with the code
 * cache in `cacheDir` when given. `label` names what will run (the command): each label has its own
 * cache file, since V8 caches the functions that ran, so `berth run` is not left with the cache that
 * `berth --help` made. `import.meta.url` of the bundled sources is the bundle's URL, passed as the
 * wrapper's `__berthImportMetaUrl` (the build defines import.meta.url as that name).
 */
export function loadBundle<T>(path: string, cacheDir: string | undefined, label = 'main'): LoadedBundle<T> {
  const sourceBytes = readFileSync(path);
  const source = sourceBytes.toString('utf8');
  const key = bundleCacheKey(sourceBytes);
  const name = basename(path).replace(/\.[^.]+$/, '');
  const prefix = `${name}-`;
  const safeLabel = /^[a-z0-9][a-z0-9-]{0,40}$/.test(label) ? label : 'other';
  const file = cacheDir
    ? join(cacheDir, `${prefix}${key.toString('hex').slice(0, 16)}-${safeLabel}.v8cache`)
    : undefined;
  const dir = cacheDir ? usableDir(cacheDir, false) : undefined;
  const cachedData = dir && file ? readCache(file, key) : undefined;

  // one line, so the bundle's line numbers (stack traces, source map) stay as built
  const wrapper = `(function (exports, require, module, __filename, __dirname, __berthImportMetaUrl) {${source}\n})`;
  const script = new vm.Script(wrapper, {
    filename: path,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CacheState = !cacheDir
    ? 'disabled'
    : !cachedData
      ? 'missing'
      : script.cachedDataRejected
        ? 'rejected'
        : 'accepted';
  const module = { exports: {} as T };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(
    module.exports,
    module.exports,
    createRequire(path),
    module,
    path,
    dirname(path),
    pathToFileURL(path).href,
  );
  return {
    exports: module.exports,
    cache,
    persist() {
      if (!cacheDir || !file || cache === 'accepted') return;
      try {
        const d = usableDir(cacheDir, true);
        if (d) writeCache(d, file, prefix, key, script.createCachedData());
      } catch {
        // an accelerator only
      }
    },
  };
}
