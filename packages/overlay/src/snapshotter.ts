import { z } from 'zod';

/**
 * The contract every berth snapshotter keeps (containerd's `core/snapshots.Snapshotter`):
 *
 * - A snapshot is `active` (writable, made by `prepare`), `view` (read-only, made by `view`) or
 *   `committed` (immutable, made by `commit` from an active one). Keys of all three share one namespace.
 * - `prepare(key, parent?)` makes an active snapshot on top of a committed parent and returns the
 *   mounts that show it; preparing an existing key fails with EALREADYEXISTS.
 * - `view(key, parent?)` is the same but read-only; a view cannot be committed.
 * - `commit(name, key)` turns the active snapshot `key` into the committed `name`; `key` no longer
 *   exists afterwards. A committed snapshot never changes and can be a parent.
 * - `remove(key)` deletes a snapshot; a snapshot with children cannot be removed (EHASCHILDREN).
 * - `mounts(key)` returns the mounts of an active snapshot or view again.
 * - `stat`, `update` (labels only), `usage`, `walk` inspect; labels ride along every call.
 */
export interface Snapshotter {
  readonly name: string;
  stat(key: string): Info;
  /** Replaces the labels (all, or only `fieldpaths` like `labels.x`) of a snapshot. */
  update(key: string, labels: Labels, fieldpaths?: string[]): Info;
  usage(key: string): Usage;
  mounts(key: string): Mount[];
  prepare(key: string, parent?: string, ...opts: SnapshotOpt[]): Mount[];
  view(key: string, parent?: string, ...opts: SnapshotOpt[]): Mount[];
  commit(name: string, key: string, ...opts: SnapshotOpt[]): void;
  remove(key: string): void;
  walk(fn: (info: Info) => void, filter?: (info: Info) => boolean): void;
  /** Removes committed snapshots nothing references and directories no snapshot owns. */
  gc(options?: GcOptions): GcResult;
  /** Where the snapshot's files are, for appliers and differs that work on the directories directly. */
  layout(key: string): Layout;
  close(): void;
}

export const Kind = z.enum(['view', 'active', 'committed']);
export type Kind = z.infer<typeof Kind>;

export const Labels = z.record(z.string().min(1), z.string());
export type Labels = z.infer<typeof Labels>;

export interface Info {
  kind: Kind;
  name: string;
  parent?: string;
  labels: Labels;
  created: Date;
  updated: Date;
}

/** Disk usage: bytes allocated and inodes (hard links counted once). */
export interface Usage {
  size: number;
  inodes: number;
}

/** A mount to perform, as containerd's `mount.Mount`: `mountAll` carries it out. */
export interface Mount {
  type: 'overlay' | 'bind';
  source: string;
  options: string[];
}

/**
 * `overlay`: `dir` is an overlay upper dir over `parents` (top first), whiteouts are overlay ones.
 * `native`: `dir` is a full copy of the tree; `parents[0]` (if any) is the parent's full tree.
 */
export interface Layout {
  kind: 'overlay' | 'native';
  dir: string;
  parents: string[];
}

export interface SnapshotOptions {
  labels: Labels;
}
export type SnapshotOpt = (options: SnapshotOptions) => void;

/** Adds labels to the snapshot being prepared, viewed or committed. */
export function withLabels(labels: Labels): SnapshotOpt {
  return (options) => {
    Object.assign(options.labels, Labels.parse(labels));
  };
}

/** A committed snapshot with this label (any value) is a GC root. */
export const GC_ROOT_LABEL = 'berth.io/gc.root';
/** Labels with this prefix name another snapshot key that the labelled snapshot keeps alive. */
export const GC_REF_PREFIX = 'berth.io/gc.ref.snapshot.';

export interface GcOptions {
  /** Extra keys to keep (for example the top layer of every image the image store knows). */
  roots?: Iterable<string>;
}

export interface GcResult {
  /** Keys of the snapshots removed. */
  removed: string[];
  /** Directories removed that no snapshot owned (left by a crash). */
  orphans: string[];
}
