import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isOverlayError, OverlayError } from './errors.js';
import { MetaStore, type Snapshot } from './metadata.js';
import {
  GC_REF_PREFIX,
  GC_ROOT_LABEL,
  type GcOptions,
  type GcResult,
  type Info,
  type Labels,
  Labels as LabelsSchema,
  type Layout,
  type Mount,
  type SnapshotOpt,
  type SnapshotOptions,
  type Snapshotter,
  type Usage,
} from './snapshotter.js';
import { diskUsage } from './usage.js';

/**
 * What the overlay and native snapshotters share: metadata, key rules, crash-safe directory life
 * cycle and GC. On disk:
 *
 *     <root>/metadata.db          SQLite (see metadata.ts for why)
 *     <root>/snapshots/<id>/fs    the snapshot's files (overlay: its upper dir)
 *     <root>/snapshots/<id>/work  overlay's workdir
 *
 * A new snapshot's directory is built under a temporary name and renamed to its id inside the
 * transaction that inserts its row; a removed one is renamed away inside the transaction that deletes
 * its row and deleted after. Whatever a crash leaves is a directory no row owns, and `gc` removes it.
 */
export abstract class BaseSnapshotter implements Snapshotter {
  abstract readonly name: string;
  readonly root: string;
  protected readonly meta: MetaStore;
  protected readonly snapshotsDir: string;

  protected constructor(root: string) {
    this.root = root;
    this.snapshotsDir = join(root, 'snapshots');
    mkdirSync(this.snapshotsDir, { recursive: true, mode: 0o700 });
    this.meta = new MetaStore(join(root, 'metadata.db'));
    this.sweepTrash();
  }

  /**
   * `remove` renames a snapshot's directory to `rm-*` in its transaction and deletes it after; a crash in
   * between leaves that directory, which no row owns and nothing else will ever name: delete it on open.
   */
  private sweepTrash(): void {
    for (const name of readdirSync(this.snapshotsDir)) {
      if (!name.startsWith('rm-')) continue;
      try {
        rmSync(join(this.snapshotsDir, name), { recursive: true, force: true });
      } catch {
        // another process of this root is deleting it at the same moment; gc() also removes it
      }
    }
  }

  protected abstract readonly layoutKind: 'overlay' | 'native';
  /** Fills a fresh snapshot directory (`fs`, and `work` for overlay; a copy of the parent for native). */
  protected abstract makeDirs(dir: string, kind: 'active' | 'view', parentFs: string[]): void;
  protected abstract mountsFor(
    kind: 'active' | 'view',
    fs: string,
    work: string,
    parentFs: string[],
  ): Mount[];

  protected dirOf(id: number): string {
    return join(this.snapshotsDir, String(id));
  }

  protected fsOf(id: number): string {
    return join(this.snapshotsDir, String(id), 'fs');
  }

  close(): void {
    this.meta.close();
  }

  stat(key: string): Info {
    return this.meta.stat(key);
  }

  update(key: string, labels: Labels, fieldpaths?: string[]): Info {
    return this.meta.updateLabels(key, LabelsSchema.parse(labels), fieldpaths);
  }

  usage(key: string): Usage {
    const snap = this.meta.get(key);
    if (snap.kind === 'committed') return this.meta.storedUsage(key);
    return diskUsage(this.fsOf(snap.id));
  }

  mounts(key: string): Mount[] {
    const snap = this.meta.get(key);
    if (snap.kind === 'committed') {
      throw new OverlayError(
        'EFAILEDPRECONDITION',
        `snapshot ${JSON.stringify(key)} is committed: view it to mount it`,
        {
          key,
        },
      );
    }
    return this.#mounts(snap);
  }

  #mounts(snap: Snapshot): Mount[] {
    const kind = snap.kind === 'view' ? 'view' : 'active';
    return this.mountsFor(
      kind,
      this.fsOf(snap.id),
      join(this.dirOf(snap.id), 'work'),
      snap.parentIds.map((id) => this.fsOf(id)),
    );
  }

  layout(key: string): Layout {
    const snap = this.meta.get(key);
    return {
      kind: this.layoutKind,
      dir: this.fsOf(snap.id),
      parents: snap.parentIds.map((id) => this.fsOf(id)),
    };
  }

  prepare(key: string, parent?: string, ...opts: SnapshotOpt[]): Mount[] {
    return this.#create('active', key, parent, opts);
  }

  view(key: string, parent?: string, ...opts: SnapshotOpt[]): Mount[] {
    return this.#create('view', key, parent, opts);
  }

  #create(kind: 'active' | 'view', key: string, parent: string | undefined, opts: SnapshotOpt[]): Mount[] {
    const options: SnapshotOptions = { labels: {} };
    for (const opt of opts) opt(options);
    // Cheap checks first, so a duplicate key does not cost a copy (native) before failing.
    this.#assertFree(key);
    const parentSnap = parent ? this.meta.get(parent) : undefined;
    const parentIds = parentSnap ? [parentSnap.id, ...parentSnap.parentIds] : [];
    const tmp = join(this.snapshotsDir, `new-${randomBytes(6).toString('hex')}`);
    mkdirSync(tmp, { mode: 0o700 });
    try {
      this.makeDirs(
        tmp,
        kind,
        parentIds.map((id) => this.fsOf(id)),
      );
      const snap = this.meta.transaction(() => {
        const created = this.meta.create(kind, key, parent, options.labels);
        renameSync(tmp, this.dirOf(created.id));
        return created;
      });
      return this.#mounts(snap);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  #assertFree(key: string): void {
    try {
      this.meta.get(key);
    } catch (err) {
      if (isOverlayError(err, 'ENOTFOUND')) return;
      throw err;
    }
    throw new OverlayError('EALREADYEXISTS', `snapshot ${JSON.stringify(key)} already exists`, { key });
  }

  commit(name: string, key: string, ...opts: SnapshotOpt[]): void {
    const options: SnapshotOptions = { labels: {} };
    for (const opt of opts) opt(options);
    const snap = this.meta.get(key);
    const usage = snap.kind === 'active' ? diskUsage(this.fsOf(snap.id)) : { size: 0, inodes: 0 };
    this.meta.transaction(() => this.meta.commit(name, key, usage, options.labels));
  }

  remove(key: string): void {
    const trash = join(this.snapshotsDir, `rm-${randomBytes(6).toString('hex')}`);
    this.meta.transaction(() => {
      const id = this.meta.remove(key);
      renameSync(this.dirOf(id), trash);
    });
    rmSync(trash, { recursive: true, force: true });
  }

  walk(fn: (info: Info) => void, filter?: (info: Info) => boolean): void {
    for (const { info } of this.meta.all()) if (!filter || filter(info)) fn(info);
  }

  /**
   * Mark and sweep: active snapshots and views, committed ones labelled `berth.io/gc.root`, and
   * `options.roots` are roots; a kept snapshot keeps its parent and every key named by its
   * `berth.io/gc.ref.snapshot.*` labels. Everything else is removed, children before parents.
   * Directories owned by no snapshot (left by a crash) are removed too. Run it when no other process is
   * preparing snapshots in the same root.
   */
  gc(options: GcOptions = {}): GcResult {
    const all = this.meta.all();
    const byKey = new Map(all.map((s) => [s.info.name, s.info]));
    const keep = new Set<string>();
    const queue: string[] = [...(options.roots ?? [])];
    for (const { info } of all) {
      if (info.kind !== 'committed' || GC_ROOT_LABEL in info.labels) queue.push(info.name);
    }
    while (queue.length > 0) {
      const key = queue.pop()!;
      const info = byKey.get(key);
      if (!info || keep.has(key)) continue;
      keep.add(key);
      if (info.parent) queue.push(info.parent);
      for (const [label, value] of Object.entries(info.labels)) {
        if (label.startsWith(GC_REF_PREFIX)) queue.push(value);
      }
    }
    const depth = (key: string): number => {
      let d = 0;
      for (let p = byKey.get(key)?.parent; p; p = byKey.get(p)?.parent) d++;
      return d;
    };
    const doomed = all
      .map((s) => s.info.name)
      .filter((k) => !keep.has(k))
      .sort((a, b) => depth(b) - depth(a));
    for (const key of doomed) this.remove(key);

    const ids = this.meta.ids();
    const orphans: string[] = [];
    for (const name of readdirSync(this.snapshotsDir)) {
      if (/^\d+$/.test(name) && ids.has(Number(name))) continue;
      const path = join(this.snapshotsDir, name);
      rmSync(path, { recursive: true, force: true });
      orphans.push(path);
    }
    return { removed: doomed, orphans };
  }
}
