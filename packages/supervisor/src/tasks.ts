// Tasks (containerd's tasks service): the running part of a container. A task's directory
// <stateDir>/<ns>/<id>/ is its bundle (config.json, rootfs/ with the rootfs mounted); the holder's
// directory (socket, exit file) is <stateDir>/s/<hash>. Its row in the database is written as 'creating'
// before anything is made, so a crash half-way leaves a row that recovery cleans up.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CgroupEvent, createManager } from '@berth/cgroups';
import { constants as C } from '@berth/native';
import { mountAll, type Snapshotter, unmount } from '@berth/overlay';
import { Runtime } from '@berth/runtime';
import type { Containers } from './containers.js';
import type { Db } from './db.js';
import { invalid, notFound, precondition, SupervisorError, translate } from './errors.js';
import type { EventBus } from './events.js';
import { UNKNOWN_EXIT_CODE } from './inprocess-backend.js';
import type { Logger } from './logger.js';
import type { BackendExec, LaunchOptions, TaskBackend, TaskHandle } from './task-backend.js';
import type {
  AttachOptions,
  CgroupStats,
  Container,
  ExecOptions,
  ExitStatus,
  KillOptions,
  LinuxResources,
  ProcessRef,
  TaskAttach,
  TaskCreateOptions,
  TaskInfo,
  TaskStatus,
  TasksService,
} from './types.js';
import {
  checkExecProcess,
  checkIdentifier,
  checkNamespace,
  checkResources,
  checkRootfs,
} from './validate.js';

interface Row {
  namespace: string;
  id: string;
  status: 'creating' | TaskStatus;
  pid: number;
  backend: string;
  dir: string;
  terminal: number;
  stdin: number;
  rootfs_mounted: number;
  exit_code: number | null;
  exit_signal: number | null;
  exited_at: string | null;
  created_at: string;
}

/** An exec'd process as the database keeps it, so that a restarted supervisor follows it again. */
interface ExecRow {
  namespace: string;
  task_id: string;
  exec_id: string;
  /** the ExecOptions' process as JSON */
  process: string;
  terminal: number;
  stdin: number;
  status: 'created' | 'running' | 'stopped';
  pid: number;
  exit_code: number | null;
  exit_signal: number | null;
  exited_at: string | null;
  created_at: string;
}

interface ExecEntry {
  /** replaced when the process is found again through a new connection to the holder */
  exec: BackendExec;
  opts: ExecOptions;
  terminal: boolean;
  stdin: boolean;
  started: boolean;
  exit?: ExitStatus;
  /** settles with `exit` (from the shim, or made up when the shim died) once the process is started */
  exited?: Promise<ExitStatus>;
  settle?: (st: ExitStatus) => void;
}

interface Live {
  ns: string;
  id: string;
  backend: TaskBackend;
  launch: LaunchOptions;
  /** unset when the holder is gone (exited while the supervisor was down) */
  handle?: TaskHandle;
  exit?: ExitStatus;
  /** settles once with the exit (recorded, or UNKNOWN_EXIT_CODE for a supervisor that let go) */
  exited: Promise<ExitStatus>;
  settle: (st: ExitStatus) => void;
  execs: Map<string, ExecEntry>;
  oomWatch?: AbortController;
  /** reconnections after a lost connection to a holder that still answered */
  reconnects: number;
}

export interface TasksDeps {
  db: Db;
  events: EventBus;
  containers: Containers;
  snapshotter?: Snapshotter;
  stateDir: string;
  runtimeRoot: string;
  cgroupParent: string;
  backends: Map<string, TaskBackend>;
  defaultBackend: string;
  logger: Logger;
}

const key = (ns: string, id: string) => `${ns}/${id}`;

/**
 * The exit reported for a task whose shim died without leaving an exit file: its processes are
 * killed with SIGKILL by the cleanup, so 128 + SIGKILL, as containerd-shim-runc-v2's `delete`
 * reports for a dead shim (containerd's cleanupAfterDeadShim publishes that status; 255 only when
 * that cleanup itself failed).
 */
export const DEAD_SHIM_EXIT_CODE = 128 + 9;

const unknownExit = (): ExitStatus => ({
  exitCode: UNKNOWN_EXIT_CODE,
  signal: null,
  exitedAt: new Date().toISOString(),
});

/**
 * The shim's directory (socket, exit file): short and fixed for a task, <stateDir>/s/<24 hex of
 * sha256(ns/id)>, because a unix socket path has room for 107 bytes and Docker's ids alone are 64
 * (containerd hashes its shim socket paths for the same reason).
 */
export function shimDirFor(stateDir: string, ns: string, id: string): string {
  return join(stateDir, 's', createHash('sha256').update(`${ns}/${id}`).digest('hex').slice(0, 24));
}

export class Tasks implements TasksService {
  readonly #live = new Map<string, Live>();
  readonly #runtimes = new Map<string, Runtime>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #detached = false;

  constructor(private readonly d: TasksDeps) {}

  /** Runs `fn` alone for one task (create, delete and recovery of one id never interleave). */
  #serial<T>(k: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(k) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.#locks.set(k, tail);
    void tail.then(() => {
      if (this.#locks.get(k) === tail) this.#locks.delete(k);
    });
    return run;
  }

  runtime(ns: string): Runtime {
    let rt = this.#runtimes.get(ns);
    if (!rt) {
      rt = new Runtime({
        root: join(this.d.runtimeRoot, ns),
        warn: (m) => this.d.logger.warn({ namespace: ns }, m),
      });
      this.#runtimes.set(ns, rt);
    }
    return rt;
  }

  hasTask(ns: string, id: string): boolean {
    return this.#row(ns, id) !== undefined;
  }

  #row(ns: string, id: string): Row | undefined {
    return this.d.db.prepare('SELECT * FROM tasks WHERE namespace = ? AND id = ?').get(ns, id) as
      | Row
      | undefined;
  }

  #live1(ns: string, id: string): Live {
    checkNamespace(ns);
    checkIdentifier('id', id);
    const live = this.#live.get(key(ns, id));
    if (!live) {
      if (this.#row(ns, id)) throw precondition(`task "${id}" is being created or deleted`, ns, id);
      throw notFound('task', ns, id);
    }
    return live;
  }

  #launchOptions(ns: string, id: string, dir: string, terminal: boolean, stdin: boolean): LaunchOptions {
    const launch: LaunchOptions = {
      runtimeId: id,
      runtime: this.runtime(ns),
      bundle: dir,
      dir: shimDirFor(this.d.stateDir, ns, id),
      terminal,
      stdin,
    };
    const runtime = this.d.containers.find(ns, id)?.runtime.name;
    if (runtime && runtime !== 'berth')
      launch.oci = { path: runtime, root: join(this.d.runtimeRoot, 'oci', ns) };
    return launch;
  }

  // ---------------------------------------------------------------------------------------------

  async create(ns: string, id: string, opts: TaskCreateOptions = {}): Promise<TaskInfo> {
    checkNamespace(ns);
    checkIdentifier('id', id);
    return this.#serial(key(ns, id), () => this.#create(ns, id, opts));
  }

  async #create(ns: string, id: string, opts: TaskCreateOptions): Promise<TaskInfo> {
    const container = this.d.containers.mustFind(ns, id);
    const terminal = !!opts.terminal;
    const stdin = !!opts.stdin;
    if (opts.log !== undefined) {
      if (typeof opts.log.path !== 'string' || !opts.log.path.startsWith('/'))
        throw invalid('log.path', 'must be an absolute path');
      if (opts.log.format !== 'json-file' && opts.log.format !== 'raw')
        throw invalid('log.format', `expected "json-file" or "raw", got ${JSON.stringify(opts.log.format)}`);
    }
    const backend = this.#backendFor(container);
    const dir = join(this.d.stateDir, ns, id);
    const now = new Date().toISOString();
    this.d.db.transaction(() => {
      if (this.#row(ns, id))
        throw new SupervisorError('ALREADY_EXISTS', `task "${id}" already exists in namespace "${ns}"`, {
          namespace: ns,
          id,
        });
      this.d.db
        .prepare(
          `INSERT INTO tasks (namespace, id, status, backend, dir, terminal, stdin, created_at)
           VALUES (?, ?, 'creating', ?, ?, ?, ?, ?)`,
        )
        .run(ns, id, backend.name, dir, terminal ? 1 : 0, stdin ? 1 : 0, now);
    })();
    const launch = this.#launchOptions(ns, id, dir, terminal, stdin);
    if (opts.log) launch.log = opts.log;
    let handle: TaskHandle | undefined;
    try {
      if (opts.log) mkdirSync(dirname(opts.log.path), { recursive: true });
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(join(dir, 'rootfs'), { recursive: true, mode: 0o755 });
      const rootfs = this.#rootfs(container, opts, dir);
      if (rootfs.mounted)
        this.d.db.prepare('UPDATE tasks SET rootfs_mounted = 1 WHERE namespace = ? AND id = ?').run(ns, id);
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify(this.#bundleSpec(container, rootfs.path, terminal)),
      );
      handle = await backend.launch(launch);
      this.d.db
        .prepare("UPDATE tasks SET status = 'created', pid = ? WHERE namespace = ? AND id = ?")
        .run(handle.pid, ns, id);
    } catch (e) {
      await handle?.kill(C.SIGKILL!).catch(() => {});
      await this.#cleanup(ns, id, dir, launch, handle);
      throw translate(e, { namespace: ns, id });
    }
    const live = this.#track(ns, id, backend, launch, handle);
    this.d.events.emit(ns, '/tasks/create', { containerId: id, pid: handle.pid, bundle: dir, terminal });
    return this.#info(live, this.#row(ns, id)!);
  }

  #backendFor(container: Container): TaskBackend {
    if (container.runtime.name !== 'berth') {
      const b = this.d.backends.get('shim');
      if (!b)
        throw new SupervisorError(
          'UNIMPLEMENTED',
          `runtime ${container.runtime.name}: an OCI runtime CLI needs the shim task backend (berth-shim is not built)`,
        );
      return b;
    }
    return this.d.backends.get(this.d.defaultBackend)!;
  }

  #rootfs(container: Container, opts: TaskCreateOptions, dir: string): { path: string; mounted: boolean } {
    const target = join(dir, 'rootfs');
    let mounts = opts.rootfs !== undefined ? checkRootfs(opts.rootfs) : undefined;
    if (!mounts && container.snapshotKey) {
      if (!this.d.snapshotter)
        throw new SupervisorError('FAILED_PRECONDITION', 'the supervisor was opened without a snapshotter');
      mounts = this.d.snapshotter.mounts(container.snapshotKey);
    }
    if (mounts && mounts.length > 0) {
      mountAll(mounts, target);
      return { path: target, mounted: true };
    }
    const path = container.spec.root?.path;
    if (!path?.startsWith('/'))
      throw invalid(
        'rootfs',
        `container "${container.id}" has no snapshot and its spec's root.path is not absolute (${JSON.stringify(path)}); pass rootfs mounts`,
      );
    return { path, mounted: false };
  }

  #bundleSpec(container: Container, rootfs: string, terminal: boolean): Container['spec'] {
    const spec = structuredClone(container.spec);
    spec.root = { path: rootfs, readonly: !!container.spec.root?.readonly };
    if (spec.process) spec.process.terminal = terminal;
    spec.linux ??= {};
    spec.linux.cgroupsPath ??= `${this.d.cgroupParent.replace(/\/$/, '')}/${container.id}`;
    return spec;
  }

  /**
   * Undoes a task's traces: its holder (asked to shut down when `handle` is given), runtime state,
   * mounts, directories, row. Each step tolerates "already gone". For berth's engine the holder's
   * shutdown and the container's removal do not depend on each other and run side by side (the
   * holder exiting is the slow part); the rootfs is unmounted only once the runtime has killed what
   * was left in the cgroup, and the row goes last, so a crash anywhere leaves a row that recovery
   * or the next delete cleans up again.
   */
  async #cleanup(
    ns: string,
    id: string,
    dir: string,
    launch: LaunchOptions,
    handle?: TaskHandle,
  ): Promise<void> {
    const shutdown = handle
      ? handle
          .shutdown()
          .catch((e) => this.d.logger.warn({ namespace: ns, id, err: String(e) }, 'shim shutdown failed'))
          .finally(() => handle.close())
      : undefined;
    // an OCI runtime CLI's shim runs `<runtime> delete` as it shuts down: what it left is looked at after
    if (launch.oci) {
      await shutdown;
      await this.#cleanupOci(ns, id, dir, launch.oci);
    }
    await Promise.all([shutdown, this.#removeContainer(ns, id, dir, launch)]);
    rmSync(launch.dir, { recursive: true, force: true });
    this.d.db.transaction(() => {
      this.d.db.prepare('DELETE FROM execs WHERE namespace = ? AND task_id = ?').run(ns, id);
      this.d.db.prepare('DELETE FROM tasks WHERE namespace = ? AND id = ?').run(ns, id);
    })();
  }

  /** The runtime's container (processes, cgroup, state), then the rootfs mount, then the bundle. */
  async #removeContainer(ns: string, id: string, dir: string, launch: LaunchOptions): Promise<void> {
    try {
      await launch.runtime.delete(launch.runtimeId, { force: true });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOTFOUND')
        this.d.logger.warn({ namespace: ns, id, err: String(e) }, 'runtime delete failed');
    }
    try {
      unmount(join(dir, 'rootfs'));
    } catch (e) {
      // removing the bundle now would empty whatever is still mounted there
      this.d.logger.warn({ namespace: ns, id, err: String(e) }, 'rootfs unmount failed; bundle left');
      rmSync(join(dir, 'config.json'), { force: true });
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  /**
   * The shim runs `<runtime> delete --force` at shutdown; a shim that died first leaves the OCI
   * runtime's state and the cgroup. Both are removed here so the id can be used again: the
   * processes of the cgroup are killed, the cgroup removed, the runtime's state directory with them.
   */
  async #cleanupOci(ns: string, id: string, dir: string, oci: { root: string }): Promise<void> {
    const state = join(oci.root, id);
    if (!existsSync(state)) return;
    try {
      const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Container['spec'];
      if (spec.linux?.cgroupsPath) {
        const cg = createManager({ cgroupsPath: spec.linux.cgroupsPath });
        await cg.thaw().catch(() => {});
        await cg.killAll(C.SIGKILL!);
        await cg.destroy();
      }
    } catch (e) {
      this.d.logger.warn(
        { namespace: ns, id, err: String(e) },
        'cleaning the cgroup of an OCI runtime container failed',
      );
    }
    rmSync(state, { recursive: true, force: true });
  }

  /** Starts following a task: its exit is recorded and published once. */
  #track(
    ns: string,
    id: string,
    backend: TaskBackend,
    launch: LaunchOptions,
    handle: TaskHandle | undefined,
    exit?: ExitStatus,
  ): Live {
    let settle!: (st: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => {
      settle = resolve;
    });
    const live: Live = { ns, id, backend, launch, execs: new Map(), exited, settle, reconnects: 0 };
    if (handle) live.handle = handle;
    if (exit) {
      live.exit = exit;
      settle(exit);
    } else if (handle) {
      this.#follow(live, handle);
      this.#watchOom(live);
    }
    this.#live.set(key(ns, id), live);
    return live;
  }

  /** Waits for the init's exit through `handle`; a lost connection is looked into (#lost). */
  #follow(live: Live, handle: TaskHandle): void {
    handle.wait().then(
      (st) => this.#recordExit(live, st),
      (err) => {
        void this.#lost(live, handle, err).catch((e) =>
          this.d.logger.error(
            { namespace: live.ns, id: live.id, err: String(e) },
            'cleanup after a lost shim failed',
          ),
        );
      },
    );
  }

  /**
   * The connection to a task's holder broke before its exit came. A holder that still answers is
   * followed again; a dead one (SIGKILLed shim) is cleaned up after as containerd's
   * cleanupAfterDeadShim does: the container's processes are killed (the init was reparented away
   * from the shim and would run on unsupervised), its cgroup, runtime state and rootfs mount go, and
   * the exit is recorded (the exit file's if the shim left one, else 128+SIGKILL) and published.
   */
  async #lost(live: Live, handle: TaskHandle, err: unknown): Promise<void> {
    if (this.#detached) {
      // close(): the connections were dropped on purpose; the shim still runs
      live.settle(unknownExit());
      return;
    }
    if (live.exit || live.handle !== handle) return;
    // a holder that keeps dropping us is asked again more slowly, never given up while it answers
    if (live.reconnects++ >= 3) await new Promise((r) => setTimeout(r, 1000));
    const again = await live.backend.reconnect(live.launch).catch(() => undefined);
    if (this.#detached) {
      again?.close();
      live.settle(unknownExit());
      return;
    }
    if (again) {
      if (live.exit || live.handle !== handle) {
        again.close();
        return;
      }
      this.d.logger.warn(
        { namespace: live.ns, id: live.id, err: String(err) },
        "lost the connection to the task's shim; reconnected",
      );
      live.handle = again;
      handle.close();
      this.#follow(live, again);
      // the execs' waits went with the old connection
      await this.#refollowExecs(live, again);
      return;
    }
    if (live.exit || live.handle !== handle) return;
    this.d.logger.warn(
      { namespace: live.ns, id: live.id, err: String(err) },
      "the task's shim is gone: cleaning up after it",
    );
    handle.close();
    delete live.handle;
    const exit = await this.#cleanupAfterDeadHolder(live);
    this.#recordExit(live, exit);
  }

  /**
   * Makes sure nothing of a task whose holder died runs or stays mounted; returns the exit to
   * record. The task's row and directory stay for `delete`, which then finds these already gone.
   */
  async #cleanupAfterDeadHolder(live: Live): Promise<ExitStatus> {
    const { ns, id, launch } = live;
    const left = live.backend.readExit(launch.dir);
    let exit: ExitStatus = left ?? {
      exitCode: DEAD_SHIM_EXIT_CODE,
      signal: 9,
      exitedAt: new Date().toISOString(),
    };
    try {
      if (launch.oci) await this.#cleanupOci(ns, id, launch.bundle, launch.oci);
      else
        await launch.runtime.delete(launch.runtimeId, { force: true }).catch((e) => {
          if ((e as { code?: string }).code !== 'ENOTFOUND') throw e;
        });
    } catch (e) {
      this.d.logger.error(
        { namespace: ns, id, err: String(e) },
        'could not remove the container of a dead shim',
      );
      if (!left) exit = unknownExit();
    }
    try {
      unmount(join(launch.bundle, 'rootfs'));
      this.d.db.prepare('UPDATE tasks SET rootfs_mounted = 0 WHERE namespace = ? AND id = ?').run(ns, id);
    } catch (e) {
      this.d.logger.warn({ namespace: ns, id, err: String(e) }, 'rootfs unmount failed');
    }
    rmSync(join(launch.dir, 'shim.sock'), { force: true });
    rmSync(join(launch.dir, 'shim.pid'), { force: true });
    // exec'd processes died with the container: their waiters hear the same status
    for (const [execId, ex] of live.execs) if (ex.started && !ex.exit) this.#execExit(live, execId, ex, exit);
    return exit;
  }

  #execExit(live: Live, execId: string, ex: ExecEntry, st: ExitStatus): void {
    if (ex.exit) return;
    if (this.#detached) {
      // close(): the connections were dropped on purpose, the process runs on: no exit to record
      ex.settle?.(unknownExit());
      return;
    }
    ex.exit = st;
    ex.settle?.(st);
    this.d.db
      .prepare(
        `UPDATE execs SET status = 'stopped', exit_code = ?, exit_signal = ?, exited_at = ?
         WHERE namespace = ? AND task_id = ? AND exec_id = ?`,
      )
      .run(st.exitCode, st.signal, st.exitedAt, live.ns, live.id, execId);
    this.d.events.emit(live.ns, '/tasks/exit', {
      containerId: live.id,
      id: execId,
      pid: ex.exec.pid,
      exitStatus: st.exitCode,
      exitedAt: st.exitedAt,
    });
  }

  #recordExit(live: Live, st: ExitStatus): void {
    // after close() the connections are dropped on purpose: that is no exit (the shim still runs)
    if (live.exit) return;
    if (this.#detached) {
      live.settle(unknownExit());
      return;
    }
    live.exit = st;
    live.settle(st);
    live.oomWatch?.abort();
    this.d.db
      .prepare(
        "UPDATE tasks SET status = 'stopped', exit_code = ?, exit_signal = ?, exited_at = ? WHERE namespace = ? AND id = ?",
      )
      .run(st.exitCode, st.signal, st.exitedAt, live.ns, live.id);
    this.d.events.emit(live.ns, '/tasks/exit', {
      containerId: live.id,
      id: live.id,
      pid: live.handle?.pid ?? 0,
      exitStatus: st.exitCode,
      exitedAt: st.exitedAt,
    });
  }

  #watchOom(live: Live): void {
    const ac = new AbortController();
    live.oomWatch = ac;
    void (async () => {
      try {
        for await (const ev of this.#ops(live).events(ac.signal)) {
          if (ev.type === 'oom') this.d.events.emit(live.ns, '/tasks/oom', { containerId: live.id });
        }
      } catch {
        // the container went away, or its cgroup has no memory controller: nothing to watch
      }
    })();
  }

  /**
   * Operations on the container's cgroup: through @berth/runtime for berth's own containers, and
   * straight on the cgroup (from the bundle's linux.cgroupsPath) for those an OCI runtime CLI made,
   * which @berth/runtime does not know.
   */
  #ops(live: Live): CgroupOps {
    const { runtime, runtimeId, oci, bundle } = live.launch;
    const cgroup = () => {
      const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as Container['spec'];
      const path = spec.linux?.cgroupsPath;
      if (!path) throw precondition(`task "${live.id}" has no cgroup path`, live.ns, live.id);
      return createManager({ cgroupsPath: path });
    };
    // v1 raises no notification for pids limits: poll rarely, OOM (notified) is what matters here
    const events = (signal: AbortSignal) => cgroup().events({ signal, v1PidsPollMs: 60_000 });
    if (!oci)
      return {
        pause: () => runtime.pause(runtimeId),
        resume: () => runtime.resume(runtimeId),
        pids: () => runtime.ps(runtimeId),
        stats: () => runtime.stats(runtimeId),
        update: (r) => runtime.update(runtimeId, r),
        events,
      };
    const cg = cgroup();
    return {
      pause: () => cg.freeze(),
      resume: () => cg.thaw(),
      pids: () => cg.pids(),
      stats: () => cg.stats(),
      update: async (r) => cg.apply(r),
      events,
    };
  }

  #info(live: Live, row: Row, execId?: string): TaskInfo {
    if (execId !== undefined) {
      const ex = live.execs.get(execId);
      if (!ex) throw notFound('process', live.ns, `${live.id}/${execId}`);
      const info: TaskInfo = {
        id: live.id,
        namespace: live.ns,
        execId,
        pid: ex.exec.pid,
        status: ex.exit ? 'stopped' : ex.started ? 'running' : 'created',
        terminal: ex.terminal,
        stdin: ex.stdin,
      };
      if (ex.exit) info.exitStatus = ex.exit;
      return info;
    }
    const status: TaskStatus = live.exit ? 'stopped' : row.status === 'creating' ? 'unknown' : row.status;
    const info: TaskInfo = {
      id: live.id,
      namespace: live.ns,
      pid: row.pid,
      status,
      terminal: row.terminal === 1,
      stdin: row.stdin === 1,
    };
    if (live.exit) info.exitStatus = live.exit;
    return info;
  }

  #handle(live: Live): TaskHandle {
    if (!live.handle || live.exit) throw precondition(`task "${live.id}" is not running`, live.ns, live.id);
    return live.handle;
  }

  #exec(live: Live, execId: string): ExecEntry {
    const ex = live.execs.get(execId);
    if (!ex) throw notFound('process', live.ns, `${live.id}/${execId}`);
    return ex;
  }

  // ---------------------------------------------------------------------------------------------

  async start(ns: string, id: string, ref: ProcessRef = {}): Promise<TaskInfo> {
    const live = this.#live1(ns, id);
    if (ref.execId !== undefined) {
      const ex = this.#exec(live, ref.execId);
      if (ex.started)
        throw precondition(`process "${ref.execId}" of task "${id}" was already started`, ns, id);
      this.#handle(live);
      ex.started = true;
      const execId = ref.execId;
      try {
        await ex.exec.start();
      } catch (e) {
        live.execs.delete(execId);
        this.#forgetExec(ns, id, execId);
        throw translate(e, { namespace: ns, id });
      }
      this.d.db
        .prepare(
          "UPDATE execs SET status = 'running', pid = ? WHERE namespace = ? AND task_id = ? AND exec_id = ?",
        )
        .run(ex.exec.pid, ns, id, execId);
      this.#followExec(live, execId, ex);
      this.d.events.emit(ns, '/tasks/exec-started', {
        containerId: id,
        execId: ref.execId,
        pid: ex.exec.pid,
      });
      return this.#info(live, this.#row(ns, id)!, ref.execId);
    }
    const row = this.#row(ns, id)!;
    if (row.status !== 'created' || live.exit)
      throw precondition(
        `task "${id}" cannot be started: it is ${live.exit ? 'stopped' : row.status}`,
        ns,
        id,
      );
    try {
      await this.#handle(live).start();
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
    this.d.db
      .prepare("UPDATE tasks SET status = 'running' WHERE namespace = ? AND id = ? AND status = 'created'")
      .run(ns, id);
    this.d.events.emit(ns, '/tasks/start', { containerId: id, pid: row.pid });
    return this.#info(live, this.#row(ns, id)!);
  }

  async state(ns: string, id: string, ref: ProcessRef = {}): Promise<TaskInfo> {
    const live = this.#live1(ns, id);
    return this.#info(live, this.#row(ns, id)!, ref.execId);
  }

  async list(ns: string): Promise<TaskInfo[]> {
    checkNamespace(ns);
    const rows = this.d.db
      .prepare('SELECT * FROM tasks WHERE namespace = ? ORDER BY created_at, id')
      .all(ns) as Row[];
    const out: TaskInfo[] = [];
    for (const row of rows) {
      const live = this.#live.get(key(ns, row.id));
      if (live) out.push(this.#info(live, row));
    }
    return out;
  }

  async kill(ns: string, id: string, signal: number, opts: KillOptions = {}): Promise<void> {
    if (!Number.isInteger(signal) || signal < 1 || signal > 64)
      throw invalid('signal', `expected a signal number 1..64, got ${signal}`);
    const live = this.#live1(ns, id);
    try {
      if (opts.execId !== undefined) {
        const ex = this.#exec(live, opts.execId);
        if (ex.exit) throw precondition(`process "${opts.execId}" of task "${id}" is not running`, ns, id);
        await ex.exec.kill(signal);
        return;
      }
      await this.#handle(live).kill(signal, !!opts.all);
      await this.#thawForKill(live, signal);
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  /** A frozen (paused) task only dies of SIGKILL once thawed, as containerd thaws for a kill. */
  async #thawForKill(live: Live, signal: number): Promise<void> {
    if (signal !== C.SIGKILL) return;
    const row = this.#row(live.ns, live.id);
    if (row?.status !== 'paused') return;
    await this.#ops(live)
      .resume()
      .catch(() => {});
    this.d.db
      .prepare("UPDATE tasks SET status = 'running' WHERE namespace = ? AND id = ? AND status = 'paused'")
      .run(live.ns, live.id);
  }

  async wait(ns: string, id: string, ref: ProcessRef = {}): Promise<ExitStatus> {
    const live = this.#live1(ns, id);
    if (ref.execId !== undefined) {
      const ex = this.#exec(live, ref.execId);
      if (!ex.started || !ex.exited)
        throw precondition(`process "${ref.execId}" of task "${id}" was not started`, ns, id);
      return ex.exit ?? ex.exited;
    }
    return live.exit ?? live.exited;
  }

  async delete(ns: string, id: string, opts: { force?: boolean } = {}): Promise<ExitStatus> {
    checkNamespace(ns);
    checkIdentifier('id', id);
    return this.#serial(key(ns, id), async () => {
      const live = this.#live1(ns, id);
      const row = this.#row(ns, id)!;
      if (!live.exit) {
        const neverStarted = row.status === 'created';
        if (!opts.force && !neverStarted)
          throw precondition(`task "${id}" is ${row.status}; stop it first or delete with force`, ns, id);
        // kill the whole cgroup: a paused task is thawed by the runtime for SIGKILL
        await live.handle?.kill(C.SIGKILL!, true).catch(() => live.handle?.kill(C.SIGKILL!).catch(() => {}));
        await this.#thawForKill(live, C.SIGKILL!);
        await live.exited;
      }
      const exit = live.exit!;
      live.oomWatch?.abort();
      await this.#cleanup(ns, id, row.dir, live.launch, live.handle);
      this.#live.delete(key(ns, id));
      this.d.events.emit(ns, '/tasks/delete', {
        containerId: id,
        pid: row.pid,
        exitStatus: exit.exitCode,
        exitedAt: exit.exitedAt,
      });
      return exit;
    });
  }

  async exec(ns: string, id: string, execId: string, opts: ExecOptions): Promise<TaskInfo> {
    const live = this.#live1(ns, id);
    checkIdentifier('execId', execId);
    const process = checkExecProcess(opts?.process);
    if (live.execs.has(execId))
      throw new SupervisorError('ALREADY_EXISTS', `process "${execId}" of task "${id}" already exists`, {
        namespace: ns,
        id,
      });
    const handle = this.#handle(live);
    const row = this.#row(ns, id)!;
    if (row.status !== 'running')
      throw precondition(`task "${id}" is ${row.status}; exec needs a running task`, ns, id);
    const execOpts: ExecOptions = {
      process: process as ExecOptions['process'],
      terminal: !!opts.terminal,
      stdin: !!opts.stdin,
    };
    let exec: BackendExec;
    try {
      exec = await handle.exec(execId, execOpts);
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
    if (live.execs.has(execId))
      throw new SupervisorError('ALREADY_EXISTS', `process "${execId}" of task "${id}" already exists`, {
        namespace: ns,
        id,
      });
    // (the task's row can be gone by now: a delete that ran meanwhile; its holder is shut down)
    if (!this.#row(ns, id)) throw precondition(`task "${id}" was deleted`, ns, id);
    this.d.db.transaction(() => {
      this.d.db
        .prepare(
          `INSERT OR REPLACE INTO execs (namespace, task_id, exec_id, process, terminal, stdin, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'created', ?)`,
        )
        .run(
          ns,
          id,
          execId,
          JSON.stringify(process),
          execOpts.terminal ? 1 : 0,
          execOpts.stdin ? 1 : 0,
          new Date().toISOString(),
        );
    })();
    live.execs.set(execId, {
      exec,
      opts: execOpts,
      terminal: !!execOpts.terminal,
      stdin: !!execOpts.stdin,
      started: false,
    });
    this.d.events.emit(ns, '/tasks/exec-added', { containerId: id, execId });
    return this.#info(live, row, execId);
  }

  async deleteProcess(ns: string, id: string, execId: string): Promise<ExitStatus> {
    const live = this.#live1(ns, id);
    const ex = this.#exec(live, execId);
    if (ex.started && !ex.exit)
      throw precondition(`process "${execId}" of task "${id}" is still running`, ns, id);
    live.execs.delete(execId);
    this.#forgetExec(ns, id, execId);
    return ex.exit ?? { exitCode: UNKNOWN_EXIT_CODE, signal: null, exitedAt: new Date().toISOString() };
  }

  #forgetExec(ns: string, id: string, execId: string): void {
    this.d.db.transaction(() => {
      this.d.db
        .prepare('DELETE FROM execs WHERE namespace = ? AND task_id = ? AND exec_id = ?')
        .run(ns, id, execId);
    })();
  }

  /** Settles `ex` with its exit once its holder reports it. */
  #followExec(live: Live, execId: string, ex: ExecEntry): void {
    ex.exited ??= new Promise((resolve) => {
      ex.settle = resolve;
    });
    const exec = ex.exec;
    exec.wait().then(
      (st) => {
        if (ex.exec === exec) this.#execExit(live, execId, ex, st);
      },
      () => {
        // the connection to the shim is gone: #lost follows it again, or settles it with the
        // task's status once it has cleaned up after a dead shim
      },
    );
  }

  /**
   * Finds the task's exec'd processes again through `handle` (a new connection to the holder): a
   * started one is followed again (a holder that no longer knows it gives it an unknown exit), one
   * not started yet gets a new handle to start it with.
   */
  async #refollowExecs(live: Live, handle: TaskHandle): Promise<void> {
    for (const [execId, ex] of live.execs) {
      if (ex.exit) continue;
      try {
        if (!ex.started) {
          ex.exec = await handle.exec(execId, ex.opts);
          continue;
        }
        const exec = await handle.reattachExec?.(execId, ex.opts);
        if (!exec) {
          this.#execExit(live, execId, ex, unknownExit());
          continue;
        }
        ex.exec = exec;
        this.#followExec(live, execId, ex);
      } catch (e) {
        // the new connection broke too: the next #lost tries again
        this.d.logger.warn(
          { namespace: live.ns, id: live.id, execId, err: String(e) },
          'could not follow an exec again',
        );
      }
    }
  }

  /**
   * Puts back the task's recorded execs (after a restart): stopped ones with their recorded exit;
   * started ones are followed again through the holder when it runs (the shim keeps their exit
   * status, so one that exited meanwhile reports its real one), or get the task's exit when the
   * holder is gone (#cleanupAfterDeadHolder settles them); ones not started yet can be started.
   */
  async #recoverExecs(live: Live): Promise<void> {
    const rows = this.d.db
      .prepare('SELECT * FROM execs WHERE namespace = ? AND task_id = ? ORDER BY created_at, exec_id')
      .all(live.ns, live.id) as ExecRow[];
    for (const r of rows) {
      let process: ExecOptions['process'];
      try {
        process = checkExecProcess(JSON.parse(r.process)) as ExecOptions['process'];
      } catch (e) {
        this.d.logger.error(
          { namespace: live.ns, id: live.id, execId: r.exec_id, err: String(e) },
          'unreadable exec record',
        );
        process = { args: ['?'] };
      }
      const opts: ExecOptions = { process, terminal: r.terminal === 1, stdin: r.stdin === 1 };
      const ex: ExecEntry = {
        exec: new GoneExec(r.exec_id, r.pid),
        opts,
        terminal: r.terminal === 1,
        stdin: r.stdin === 1,
        started: r.status !== 'created',
      };
      live.execs.set(r.exec_id, ex);
      if (r.status === 'stopped') {
        const exit: ExitStatus = {
          exitCode: r.exit_code ?? UNKNOWN_EXIT_CODE,
          signal: r.exit_signal,
          exitedAt: r.exited_at ?? r.created_at,
        };
        ex.exit = exit;
        ex.exited = Promise.resolve(exit);
        continue;
      }
      // a 'created' row may run already: the supervisor may have died between the shim's exec and
      // the row's update
      let found: BackendExec | undefined;
      if (live.handle)
        found = await live.handle.reattachExec?.(r.exec_id, opts).catch((e) => {
          this.d.logger.warn(
            { namespace: live.ns, id: live.id, execId: r.exec_id, err: String(e) },
            'could not ask the shim about an exec',
          );
          return undefined;
        });
      if (found) {
        ex.exec = found;
        ex.started = true;
        if (r.status === 'created')
          this.d.db
            .prepare(
              "UPDATE execs SET status = 'running', pid = ? WHERE namespace = ? AND task_id = ? AND exec_id = ?",
            )
            .run(found.pid, live.ns, live.id, r.exec_id);
        this.#followExec(live, r.exec_id, ex);
        continue;
      }
      if (!ex.started) {
        if (live.handle && !live.exit) ex.exec = await live.handle.exec(r.exec_id, opts);
        continue;
      }
      ex.exited = new Promise((resolve) => {
        ex.settle = resolve;
      });
      // a holder that runs but does not know it: its exit is unknown; no holder: the task's exit
      if (live.handle) this.#execExit(live, r.exec_id, ex, unknownExit());
      else if (live.exit) this.#execExit(live, r.exec_id, ex, live.exit);
    }
  }

  async pause(ns: string, id: string): Promise<void> {
    const live = this.#live1(ns, id);
    this.#handle(live);
    try {
      await this.#ops(live).pause();
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
    this.d.db
      .prepare("UPDATE tasks SET status = 'paused' WHERE namespace = ? AND id = ? AND status = 'running'")
      .run(ns, id);
    this.d.events.emit(ns, '/tasks/paused', { containerId: id });
  }

  async resume(ns: string, id: string): Promise<void> {
    const live = this.#live1(ns, id);
    this.#handle(live);
    try {
      await this.#ops(live).resume();
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
    this.d.db
      .prepare("UPDATE tasks SET status = 'running' WHERE namespace = ? AND id = ? AND status = 'paused'")
      .run(ns, id);
    this.d.events.emit(ns, '/tasks/resumed', { containerId: id });
  }

  async pids(ns: string, id: string): Promise<number[]> {
    const live = this.#live1(ns, id);
    this.#handle(live);
    try {
      return this.#ops(live).pids();
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  async stats(ns: string, id: string): Promise<CgroupStats> {
    const live = this.#live1(ns, id);
    this.#handle(live);
    try {
      return this.#ops(live).stats();
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  async update(ns: string, id: string, resources: LinuxResources): Promise<void> {
    const live = this.#live1(ns, id);
    this.#handle(live);
    const checked = checkResources(resources);
    try {
      await this.#ops(live).update(checked as LinuxResources);
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  async attach(ns: string, id: string, opts: AttachOptions = {}): Promise<TaskAttach> {
    const live = this.#live1(ns, id);
    const which = { stdin: !!opts.stdin, stdout: opts.stdout !== false, stderr: opts.stderr !== false };
    try {
      if (opts.execId !== undefined) return await this.#exec(live, opts.execId).exec.attach(which);
      return await this.#handle(live).attach(which);
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  async resize(
    ns: string,
    id: string,
    size: { cols: number; rows: number },
    ref: ProcessRef = {},
  ): Promise<void> {
    const live = this.#live1(ns, id);
    for (const f of ['cols', 'rows'] as const)
      if (!Number.isInteger(size?.[f]) || size[f] < 1 || size[f] > 65535)
        throw invalid(f, 'expected an integer 1..65535');
    try {
      if (ref.execId !== undefined) await this.#exec(live, ref.execId).exec.resize(size.cols, size.rows);
      else await this.#handle(live).resize(size.cols, size.rows);
    } catch (e) {
      throw translate(e, { namespace: ns, id });
    }
  }

  async closeStdin(ns: string, id: string, ref: ProcessRef = {}): Promise<void> {
    const live = this.#live1(ns, id);
    if (ref.execId !== undefined) await this.#exec(live, ref.execId).exec.closeStdin();
    else await this.#handle(live).closeStdin();
  }

  async checkpoint(ns: string, id: string): Promise<never> {
    this.#live1(ns, id);
    throw new SupervisorError('UNIMPLEMENTED', 'checkpoint is not supported (no CRIU in berth)', {
      namespace: ns,
      id,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // recovery after a restart

  /**
   * Reconnects to every task in the database: a 'creating' row is a create that crashed and is
   * cleaned up; a live holder is followed again; a task whose holder is gone is reported stopped with
   * the exit status it left in its exit file (or 255 when there is none).
   */
  async recover(): Promise<RecoveryReport> {
    const report: RecoveryReport = { reconnected: [], exited: [], cleaned: [] };
    const rows = this.d.db.prepare('SELECT * FROM tasks ORDER BY created_at').all() as Row[];
    for (const row of rows) {
      const k = key(row.namespace, row.id);
      if (this.#live.has(k)) continue;
      await this.#serial(k, async () => {
        const backend = this.d.backends.get(row.backend) ?? this.d.backends.get(this.d.defaultBackend)!;
        const launch = this.#launchOptions(
          row.namespace,
          row.id,
          row.dir,
          row.terminal === 1,
          row.stdin === 1,
        );
        if (row.status === 'creating') {
          const handle = await backend.reconnect(launch).catch(() => undefined);
          await handle?.kill(C.SIGKILL!).catch(() => {});
          await this.#cleanup(row.namespace, row.id, row.dir, launch, handle);
          report.cleaned.push({ namespace: row.namespace, id: row.id });
          return;
        }
        if (row.status === 'stopped') {
          const exit = {
            exitCode: row.exit_code ?? UNKNOWN_EXIT_CODE,
            signal: row.exit_signal,
            exitedAt: row.exited_at ?? row.created_at,
          };
          // the holder may still run (kept for attach and delete)
          const handle = await backend.reconnect(launch).catch(() => undefined);
          const live = this.#track(row.namespace, row.id, backend, launch, handle, exit);
          await this.#recoverExecs(live);
          return;
        }
        const handle = await backend.reconnect(launch).catch(() => undefined);
        if (handle) {
          const live = this.#track(row.namespace, row.id, backend, launch, handle);
          await this.#recoverExecs(live);
          report.reconnected.push({ namespace: row.namespace, id: row.id });
          return;
        }
        // the holder is gone (it exited, or was killed with the container maybe still running):
        // clean up after it as after a shim that dies while we run
        const live = this.#track(row.namespace, row.id, backend, launch, undefined);
        await this.#recoverExecs(live);
        const exit = await this.#cleanupAfterDeadHolder(live);
        this.#recordExit(live, exit);
        report.exited.push({ namespace: row.namespace, id: row.id, exitStatus: exit });
      });
    }
    return report;
  }

  /** Drops the connections to the holders; containers keep running (for close()). */
  detachAll(): void {
    this.#detached = true;
    for (const live of this.#live.values()) {
      live.oomWatch?.abort();
      live.handle?.close();
      for (const ex of live.execs.values()) if (!ex.exit) ex.settle?.(unknownExit());
    }
    this.#live.clear();
  }
}

/** A recorded exec whose process cannot be reached (stopped, or not found again): it only has a pid. */
class GoneExec implements BackendExec {
  constructor(
    private readonly execId: string,
    readonly pid: number,
  ) {}

  #gone(): Promise<never> {
    return Promise.reject(
      new SupervisorError('FAILED_PRECONDITION', `process "${this.execId}" is not running`),
    );
  }

  start = () => this.#gone();
  attach = () => this.#gone();
  wait = () => this.#gone();
  resize = () => this.#gone();
  kill = () => this.#gone();
  closeStdin = () => this.#gone();
}

interface CgroupOps {
  pause(): Promise<void>;
  resume(): Promise<void>;
  pids(): number[];
  stats(): CgroupStats;
  update(resources: LinuxResources): Promise<void>;
  events(signal: AbortSignal): AsyncIterable<CgroupEvent>;
}

export interface RecoveryReport {
  /** tasks whose holder was found running and is followed again */
  reconnected: Array<{ namespace: string; id: string }>;
  /** tasks that exited while the supervisor was down (an /tasks/exit event was published for each) */
  exited: Array<{ namespace: string; id: string; exitStatus: ExitStatus }>;
  /** half-made tasks (a crash during create) that were removed */
  cleaned: Array<{ namespace: string; id: string }>;
}
