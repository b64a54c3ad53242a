// The state root: one directory per container (`<root>/<id>/state.json`) and one lock file beside
// it (`<root>/<id>.lock`). state.json is written to a temp file and renamed over, so a reader sees
// the old or the new state, never half of one; it is read back through zod.
//
// Parsing through zod is the costly part of a read (a config.json with a seccomp profile takes ms),
// and one start reads the same state several times, so the parsed state is kept per container,
// keyed by the file's whole text. Not by inode/size/mtime: ext4 reuses a freed inode at once and
// mtime moves in jiffies, so a rename by another process could go unseen; reading a few KiB and
// comparing the text costs microseconds and sees every change, by this process or any other.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RuntimeError } from './errors.js';
import { validateId } from './id.js';
import { type LockOptions, withLock } from './lock.js';
import { RuntimeSpec } from './spec.js';

export const DEFAULT_ROOT = '/run/berth-runtime';

export const Status = z.enum(['creating', 'created', 'running', 'paused', 'stopped']);
export type Status = z.infer<typeof Status>;

/** What the runtime keeps about a container (state.json). */
export const StoredState = z.object({
  ociVersion: z.string(),
  id: z.string(),
  /** absolute bundle path */
  bundle: z.string(),
  /** absolute rootfs path */
  rootfs: z.string(),
  status: Status,
  /** the container's init (0 while creating) */
  pid: z.number().int().min(0),
  /** /proc/<pid>/stat start time: tells the init from a later process with the same pid */
  pidStartTime: z.number().int().min(0),
  /** ISO 8601 */
  created: z.string(),
  annotations: z.record(z.string(), z.string()).default({}),
  /** the cgroup path inside each hierarchy, when the runtime made one */
  cgroupPath: z.string().optional(),
  /** the config.json the container was created from (hooks at delete, exec defaults) */
  config: RuntimeSpec,
  /** the process keeping a CLI-created container waiting for `start` (see holder.ts) */
  holder: z.object({ pid: z.number().int(), socket: z.string() }).optional(),
  /** set when start failed after create: the reason, for `state` and `delete` */
  error: z.string().optional(),
});
export type StoredState = z.infer<typeof StoredState>;

/** The state directories under one root. Ids are validated on every call. */
export class StateStore {
  readonly root: string;
  /** id → the text of state.json last read or written and its parsed state (never handed out) */
  readonly #parsed = new Map<string, { text: string; state: StoredState }>();

  constructor(root: string = DEFAULT_ROOT) {
    this.root = root;
  }

  dir(id: string): string {
    return join(this.root, validateId(id));
  }

  /** Serialises commands on one container (see lock.ts). */
  lock<T>(id: string, fn: () => Promise<T> | T, opts?: LockOptions): Promise<T> {
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    return withLock(join(this.root, `${validateId(id)}.lock`), fn, opts);
  }

  /** Makes the container's directory; EEXISTS when the id is taken. */
  reserve(id: string): string {
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    const dir = this.dir(id);
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new RuntimeError('EEXISTS', `container ${JSON.stringify(id)} already exists`, { id });
      throw e;
    }
    return dir;
  }

  /** Whether the container's directory exists (with or without a state file). */
  hasDir(id: string): boolean {
    return existsSync(this.dir(id));
  }

  exists(id: string): boolean {
    try {
      readFileSync(join(this.dir(id), 'state.json'));
      return true;
    } catch {
      return false;
    }
  }

  write(state: StoredState): void {
    const dir = this.dir(state.id);
    const tmp = join(dir, `.state.json.${process.pid}.tmp`);
    // No fsync: the rename alone makes the write atomic for readers, and the state lives on tmpfs
    // (/run) where it could not outlive a crash anyway (an fsync per write was 3 ms of a 20 ms run).
    const text = JSON.stringify(state);
    this.#parsed.delete(state.id);
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, join(dir, 'state.json'));
    // what was written is a StoredState already: its JSON read back is what a read would return
    this.#parsed.set(state.id, { text, state: JSON.parse(text) as StoredState });
  }

  read(id: string): StoredState {
    const path = join(this.dir(id), 'state.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      this.#parsed.delete(id);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RuntimeError('ENOTFOUND', `container ${JSON.stringify(id)} does not exist`, { id });
      throw e;
    }
    // callers change what they get (status, pid) before writing it: each gets its own copy
    const known = this.#parsed.get(id);
    if (known?.text === text) return structuredClone(known.state);
    this.#parsed.delete(id);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new RuntimeError('EINTERNAL', `corrupt state file ${path}: ${(e as Error).message}`, {
        id,
        path,
      });
    }
    const r = StoredState.safeParse(json);
    if (!r.success)
      throw new RuntimeError('EINTERNAL', `corrupt state file ${path}: ${r.error.issues[0]?.message}`, {
        id,
        path,
      });
    this.#parsed.set(id, { text, state: structuredClone(r.data) });
    return r.data;
  }

  /** Ids of every container directory under the root. */
  ids(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names.sort();
  }

  remove(id: string): void {
    this.#parsed.delete(id);
    rmSync(this.dir(id), { recursive: true, force: true });
  }
}
