// The supervisor in-process: one SQLite database for metadata, one task backend (the shim by
// default), the content store and snapshotter it is handed, and an event bus. Opening an existing
// root recovers: tasks whose shims still run are followed again, exits while down are reported.
import { mkdirSync } from 'node:fs';
import type { ContentStore } from '@berth/content';
import type { Snapshotter } from '@berth/overlay';
import { Containers } from './containers.js';
import { ContentServiceImpl } from './content-service.js';
import { type Db, openDb } from './db.js';
import { EventBus } from './events.js';
import { Images } from './images.js';
import { InProcessBackend } from './inprocess-backend.js';
import { Leases } from './leases.js';
import { type Logger, silentLogger } from './logger.js';
import { claimRoot, releaseRoot } from './owner.js';
import { createShimBackend } from './shim-backend.js';
import { SnapshotsServiceImpl } from './snapshots-service.js';
import type { TaskBackend } from './task-backend.js';
import { type RecoveryReport, Tasks } from './tasks.js';
import type { GcOptions, GcResult, SupervisorApi } from './types.js';

export interface SupervisorOptions {
  /** metadata (meta.db); default data-root/supervisor */
  root: string;
  /** task directories (bundles, shim sockets, exit files); default exec-root/supervisor */
  stateDir: string;
  /** the runtime's state root (one sub-directory per namespace); default exec-root/runtime */
  runtimeRoot: string;
  content?: ContentStore;
  snapshotter?: Snapshotter;
  /** cgroup parent of tasks whose spec sets no linux.cgroupsPath (default /berth): <parent>/<id> */
  cgroupParent?: string;
  logger?: Logger;
  /**
   * What holds the containers: 'shim' (one berth-shim per container, survives supervisor restarts;
   * the default when @berth/shim is installed) or 'in-process' (@berth/runtime in this process).
   */
  backend?: 'shim' | 'in-process';
  /** run recover() while opening (default true) */
  recover?: boolean;
}

export class Supervisor implements SupervisorApi {
  readonly containers: Containers;
  readonly tasks: Tasks;
  readonly images: Images;
  readonly content: ContentServiceImpl;
  readonly snapshots: SnapshotsServiceImpl;
  readonly leases: Leases;
  readonly events: EventBus;
  /** the task backend in use: 'shim' or 'in-process' */
  readonly backend: string;
  /** what the last recover() found */
  lastRecovery: RecoveryReport = { reconnected: [], exited: [], cleaned: [] };
  readonly #db: Db;
  readonly #opts: SupervisorOptions;
  #closed = false;

  private constructor(
    opts: SupervisorOptions,
    db: Db,
    backends: Map<string, TaskBackend>,
    defaultBackend: string,
  ) {
    this.#opts = opts;
    this.#db = db;
    this.backend = defaultBackend;
    const logger = opts.logger ?? silentLogger;
    this.events = new EventBus();
    let tasks: Tasks | undefined;
    this.containers = new Containers(
      db,
      this.events,
      (ns, id) => tasks!.hasTask(ns, id),
      opts.snapshotter?.name ?? '',
    );
    tasks = new Tasks({
      db,
      events: this.events,
      containers: this.containers,
      ...(opts.snapshotter ? { snapshotter: opts.snapshotter } : {}),
      stateDir: opts.stateDir,
      runtimeRoot: opts.runtimeRoot,
      cgroupParent: opts.cgroupParent ?? '/berth',
      backends,
      defaultBackend,
      logger,
    });
    this.tasks = tasks;
    this.images = new Images(db, this.events);
    this.leases = new Leases(db, this.events);
    this.content = new ContentServiceImpl(opts.content, this.events);
    this.snapshots = new SnapshotsServiceImpl(opts.snapshotter, this.events);
  }

  static async open(opts: SupervisorOptions): Promise<Supervisor> {
    for (const dir of [opts.stateDir, opts.runtimeRoot]) mkdirSync(dir, { recursive: true, mode: 0o711 });
    mkdirSync(opts.root, { recursive: true, mode: 0o711 });
    claimRoot(opts.root);
    const db = openDb(opts.root);
    const backends = new Map<string, TaskBackend>();
    const inProcess = new InProcessBackend();
    backends.set(inProcess.name, inProcess);
    let chosen = inProcess.name;
    if (opts.backend !== 'in-process') {
      const shim = await createShimBackend();
      if (shim) {
        backends.set(shim.name, shim);
        chosen = shim.name;
      } else if (opts.backend === 'shim') {
        db.close();
        throw new Error('the shim task backend was asked for but @berth/shim is not available');
      }
    }
    const sup = new Supervisor(opts, db, backends, chosen);
    if (opts.recover !== false) await sup.recover();
    return sup;
  }

  /** Reconnects to the tasks of an earlier run (see Tasks.recover). Safe to call again. */
  async recover(): Promise<RecoveryReport> {
    this.lastRecovery = await this.tasks.recover();
    return this.lastRecovery;
  }

  /**
   * Garbage collection: expired leases go; then content and snapshots nothing keeps are removed.
   * Kept: image targets (and what their labels reference), containers' snapshots, lease resources,
   * and `extra` roots — the daemon passes the image store's, whose names this table does not hold.
   */
  async gc(extra: GcOptions = {}): Promise<GcResult> {
    const leases = this.leases.expire();
    const contentRoots = new Set<string>(extra.contentRoots ?? []);
    const snapshotRoots = new Set<string>(extra.snapshotRoots ?? []);
    for (const t of this.images.allTargets()) contentRoots.add(t.digest);
    for (const r of this.leases.allResources())
      (r.type === 'content' ? contentRoots : snapshotRoots).add(r.id);
    for (const c of this.#db
      .prepare("SELECT snapshot_key FROM containers WHERE snapshot_key != ''")
      .all() as Array<{
      snapshot_key: string;
    }>)
      snapshotRoots.add(c.snapshot_key);
    const result: GcResult = { content: [], snapshots: [], leases };
    if (this.#opts.snapshotter)
      result.snapshots = this.#opts.snapshotter.gc({ roots: snapshotRoots }).removed;
    if (this.#opts.content) result.content = (await this.#opts.content.gc({ roots: contentRoots })).removed;
    return result;
  }

  /** Closes the database and the connections to the shims; containers keep running. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.tasks.detachAll();
    this.events.closeAll();
    this.#db.close();
    releaseRoot(this.#opts.root);
  }
}
