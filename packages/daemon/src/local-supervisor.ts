// The daemon's own task holder: @berth/runtime driven in this process, behind the supervisor's
// containers/tasks interface, so berthd can switch to @berth/supervisor (and its shims) by changing
// one constructor. Stdio goes over socket pairs (or a pty) read here, into the json-file log and to
// attached clients. A container outlives a daemon restart (it is found again by its pid, and can be
// signalled, stopped and removed), but its output after the restart is lost and its exit code is
// reported as 255, like containerd's for a lost shim: that is what the shim backend fixes.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { ReadStream } from 'node:tty';
import type { CgroupStats, LinuxResources } from '@berth/cgroups';
import { type ContainerProcess, pidfdOpen, recvFds, socketpair, waitReadable } from '@berth/native';
import type { Process, RuntimeSpec } from '@berth/oci-spec';
import { mountAll, unmount } from '@berth/overlay';
import { Runtime } from '@berth/runtime';
import type { ExitStatus, LogConfig, ProcessRef, SupervisorLike, TaskAttach, TaskInfo } from './deps.js';
import { DaemonError } from './errors.js';
import { JsonLogWriter } from './json-log.js';

const UNKNOWN_EXIT = 255;

const notFound = (what: string) => new DaemonError('NOT_FOUND', what);
const precondition = (what: string) => new DaemonError('CONFLICT', what);

/** Fans one process's output out to the log and to attached clients. */
class Io {
  readonly childStdio: [number, number, number] | undefined;
  readonly consoleFd: number | undefined;
  private readonly hostConsole: number | undefined;
  private readonly childFds: number[] = [];
  private readonly clients = { stdout: new Set<PassThrough>(), stderr: new Set<PassThrough>() };
  private readonly ended = { stdout: false, stderr: false };
  private stdinTarget: Writable | undefined;
  private log: JsonLogWriter | undefined;
  private drainedResolve!: () => void;
  readonly drained = new Promise<void>((r) => {
    this.drainedResolve = r;
  });
  private open = 0;

  constructor(
    readonly terminal: boolean,
    readonly wantStdin: boolean,
    logConfig: LogConfig | undefined,
  ) {
    if (logConfig)
      this.log = new JsonLogWriter(logConfig.path, {
        maxSize: logConfig.maxSize ?? 0,
        maxFiles: logConfig.maxFiles ?? 1,
      });
    if (terminal) {
      const [host, child] = socketpair();
      this.hostConsole = host;
      this.consoleFd = child;
      this.childFds.push(child);
      this.ended.stderr = true;
      return;
    }
    const pair = () => {
      const [host, child] = socketpair();
      this.childFds.push(child);
      return { host, child };
    };
    let stdinChild: number;
    if (wantStdin) {
      const p = pair();
      stdinChild = p.child;
      this.stdinTarget = new Socket({ fd: p.host, readable: false, writable: true });
      this.stdinTarget.on('error', () => {});
    } else {
      stdinChild = openSync('/dev/null', 'r');
      this.childFds.push(stdinChild);
    }
    const out = pair();
    const err = pair();
    this.childStdio = [stdinChild, out.child, err.child];
    this.source('stdout', new Socket({ fd: out.host, readable: true, writable: false, allowHalfOpen: true }));
    this.source('stderr', new Socket({ fd: err.host, readable: true, writable: false, allowHalfOpen: true }));
  }

  private source(name: 'stdout' | 'stderr', src: Readable): void {
    this.open++;
    src.on('data', (chunk: Buffer) => {
      this.log?.write(name, chunk);
      for (const c of this.clients[name]) c.write(chunk);
    });
    // EIO from a pty master when the last slave closes is its end of file
    src.on('error', () => src.destroy());
    src.once('close', () => {
      this.ended[name] = true;
      for (const c of this.clients[name]) c.end();
      this.clients[name].clear();
      if (--this.open === 0) {
        this.log?.close();
        this.drainedResolve();
      }
    });
  }

  /** After the process exists: our copies of its ends are closed; a pty master is received. */
  connect(): void {
    for (const fd of this.childFds.splice(0)) closeSync(fd);
    if (this.hostConsole === undefined) return;
    const got = recvFds(this.hostConsole, 1, 64);
    closeSync(this.hostConsole);
    const master = got.fds[0];
    if (master === undefined) throw new DaemonError('INTERNAL', 'the container sent no pty master');
    this.source('stdout', new ReadStream(master));
    if (this.wantStdin)
      this.stdinTarget = new Writable({
        write: (chunk: Buffer, _enc, cb) => {
          try {
            writeSync(master, chunk);
            cb();
          } catch (e) {
            cb(e as Error);
          }
        },
      });
  }

  abort(): void {
    for (const fd of this.childFds.splice(0)) closeSync(fd);
    if (this.hostConsole !== undefined) closeSync(this.hostConsole);
    this.log?.close();
  }

  attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): TaskAttach {
    const mine: PassThrough[] = [];
    const out: TaskAttach = {
      close: () => {
        for (const s of mine) {
          this.clients.stdout.delete(s);
          this.clients.stderr.delete(s);
          s.end();
        }
      },
    };
    for (const name of ['stdout', 'stderr'] as const) {
      if (opts[name] === false || (name === 'stderr' && this.terminal)) continue;
      const pt = new PassThrough();
      if (this.ended[name]) pt.end();
      else this.clients[name].add(pt);
      mine.push(pt);
      out[name] = pt;
    }
    if (opts.stdin && this.stdinTarget) {
      const target = this.stdinTarget;
      out.stdin = new Writable({
        write: (chunk, enc, cb) => target.write(chunk, enc, cb),
        final: (cb) => {
          target.end();
          cb();
        },
      });
    }
    return out;
  }

  closeStdin(): void {
    this.stdinTarget?.end();
  }
}

interface LocalProcess {
  pid: number;
  status: TaskInfo['status'];
  io: Io | undefined;
  exit: Promise<ExitStatus>;
  exitStatus?: ExitStatus;
  proc?: ContainerProcess;
}

interface LocalTask extends LocalProcess {
  /** starts waiting for the init's exit (after start, or when a created task is deleted) */
  watch?: () => void;
  bundle: string;
  rootfs: string;
  mounted: boolean;
  execs: Map<
    string,
    LocalProcess & { spec: Partial<Process> & { args: string[] }; terminal: boolean; stdin: boolean }
  >;
}

function toExit(st: { exitCode: number | null; signal: number | null }): ExitStatus {
  const signal = st.signal ?? null;
  return {
    exitCode: signal !== null ? 128 + signal : (st.exitCode ?? UNKNOWN_EXIT),
    signal,
    exitedAt: new Date().toISOString(),
  };
}

/** Resolves when `pid` is gone (a process this daemon did not create: found again after a restart). */
async function waitForeign(pid: number): Promise<ExitStatus> {
  let fd = -1;
  try {
    fd = pidfdOpen(pid, 0);
    await waitReadable(fd);
  } catch {
    while (existsSync(`/proc/${pid}`)) await new Promise((r) => setTimeout(r, 200));
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return { exitCode: UNKNOWN_EXIT, signal: null, exitedAt: new Date().toISOString() };
}

export interface LocalSupervisorOptions {
  /** bundles (config.json + rootfs mount point) per container */
  root: string;
  /** @berth/runtime's state root */
  runtimeRoot: string;
  warn?: (msg: string) => void;
}

export class LocalSupervisor implements SupervisorLike {
  private readonly runtime: Runtime;
  private readonly root: string;
  private readonly specs = new Map<string, { spec: RuntimeSpec }>();
  private readonly tasks_ = new Map<string, LocalTask>();

  constructor(opts: LocalSupervisorOptions) {
    this.root = opts.root;
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    this.runtime = new Runtime({ root: opts.runtimeRoot, warn: opts.warn ?? (() => {}) });
    // containers left running by a previous daemon: found by pid (no stdio, exit code unknown)
    for (const st of this.runtime.list()) {
      const bundle = join(this.root, st.id);
      const task: LocalTask = {
        pid: st.pid ?? 0,
        status:
          st.status === 'running'
            ? 'running'
            : st.status === 'paused'
              ? 'paused'
              : st.status === 'created'
                ? 'created'
                : 'stopped',
        io: undefined,
        exit: Promise.resolve({ exitCode: UNKNOWN_EXIT, signal: null, exitedAt: new Date().toISOString() }),
        bundle,
        rootfs: join(bundle, 'rootfs'),
        mounted: true,
        execs: new Map(),
      };
      if (task.status === 'running' || task.status === 'paused') {
        task.exit = waitForeign(task.pid).then((e) => {
          task.status = 'stopped';
          task.exitStatus = e;
          return e;
        });
      }
      this.tasks_.set(st.id, task);
      const cfg = join(bundle, 'config.json');
      if (existsSync(cfg))
        this.specs.set(st.id, { spec: JSON.parse(readFileSync(cfg, 'utf8')) as RuntimeSpec });
    }
  }

  private task(id: string): LocalTask {
    const t = this.tasks_.get(id);
    if (!t) throw notFound(`no task for container ${id}`);
    return t;
  }

  private proc(id: string, ref?: ProcessRef): LocalProcess {
    const t = this.task(id);
    if (!ref?.execId) return t;
    const e = t.execs.get(ref.execId);
    if (!e) throw notFound(`no process ${ref.execId} in container ${id}`);
    return e;
  }

  private info(id: string, p: LocalProcess, execId?: string): TaskInfo {
    return {
      id,
      pid: p.pid,
      status: p.status,
      ...(execId ? { execId } : {}),
      ...(p.exitStatus ? { exitStatus: p.exitStatus } : {}),
    };
  }

  readonly containers: SupervisorLike['containers'] = {
    create: async (_ns, c) => {
      if (this.specs.has(c.id)) throw new DaemonError('CONFLICT', `container ${c.id} exists`);
      this.specs.set(c.id, { spec: c.spec });
      return c;
    },
    get: async (_ns, id) => {
      const c = this.specs.get(id);
      if (!c) throw notFound(`container ${id} not found`);
      return c;
    },
    update: async (_ns, id, changes) => {
      const c = this.specs.get(id);
      if (!c) throw notFound(`container ${id} not found`);
      if (changes.spec) c.spec = changes.spec;
      return c;
    },
    delete: async (_ns, id) => {
      if (this.tasks_.has(id)) throw precondition(`container ${id} has a task`);
      this.specs.delete(id);
    },
  };

  readonly tasks: SupervisorLike['tasks'] = {
    create: async (_ns, id, opts = {}) => {
      const c = this.specs.get(id);
      if (!c) throw notFound(`container ${id} not found`);
      if (this.tasks_.has(id)) throw new DaemonError('CONFLICT', `container ${id} already has a task`);
      const bundle = join(this.root, id);
      const rootfs = join(bundle, 'rootfs');
      mkdirSync(rootfs, { recursive: true });
      const spec: RuntimeSpec = {
        ...c.spec,
        root: { ...c.spec.root, path: rootfs },
        process: { ...c.spec.process!, terminal: !!opts.terminal },
      };
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
      let mounted = false;
      const io = new Io(!!opts.terminal, !!opts.stdin, opts.log);
      try {
        if (opts.rootfs?.length) {
          mountAll(opts.rootfs as Parameters<typeof mountAll>[0], rootfs);
          mounted = true;
        }
        const { process: proc } = await this.runtime.create(id, {
          bundle,
          ...(io.childStdio ? { stdio: io.childStdio } : {}),
          ...(io.consoleFd !== undefined ? { consoleSocketFd: io.consoleFd } : {}),
        });
        io.connect();
        let resolveExit!: (e: ExitStatus) => void;
        const task: LocalTask = {
          pid: proc.pid,
          status: 'created',
          io,
          proc,
          exit: new Promise((r) => {
            resolveExit = r;
          }),
          bundle,
          rootfs,
          mounted,
          execs: new Map(),
        };
        // watched only once start() has returned: ContainerProcess.wait() closes the sync socket that
        // start() may still be reading when the process exits at once (EBADF otherwise)
        task.watch = () => {
          task.watch = undefined;
          void this.runtime.wait(id).then(async (st) => {
            const exit = toExit(st);
            // the output is complete before anyone hears of the exit (logs, attach)
            await Promise.race([io.drained, new Promise((r) => setTimeout(r, 2000))]);
            task.status = 'stopped';
            task.exitStatus = exit;
            resolveExit(exit);
          });
        };
        this.tasks_.set(id, task);
        return this.info(id, task);
      } catch (e) {
        io.abort();
        if (mounted) unmount(rootfs);
        rmSync(bundle, { recursive: true, force: true });
        throw e;
      }
    },
    start: async (_ns, id, ref) => {
      const t = this.task(id);
      if (!ref?.execId) {
        if (t.status !== 'created') throw precondition(`task ${id} is ${t.status}`);
        try {
          await this.runtime.start(id);
        } finally {
          t.watch?.();
        }
        if (t.status === 'created') t.status = 'running';
        return this.info(id, t);
      }
      const e = t.execs.get(ref.execId);
      if (!e) throw notFound(`no process ${ref.execId} in container ${id}`);
      if (e.status !== 'created') throw precondition(`process ${ref.execId} is ${e.status}`);
      try {
        const proc = await this.runtime.exec(id, {
          process: { ...e.spec, terminal: e.terminal } as Parameters<Runtime['exec']>[1]['process'],
          ...(e.io?.childStdio ? { stdio: e.io.childStdio } : {}),
          ...(e.io?.consoleFd !== undefined ? { consoleSocketFd: e.io.consoleFd } : {}),
        });
        e.io?.connect();
        e.proc = proc;
        e.pid = proc.pid;
        e.status = 'running';
        let resolveExit!: (x: ExitStatus) => void;
        e.exit = new Promise((r) => {
          resolveExit = r;
        });
        void proc.wait().then(async (st) => {
          const exit = toExit(st);
          if (e.io) await Promise.race([e.io.drained, new Promise((r) => setTimeout(r, 2000))]);
          e.status = 'stopped';
          e.exitStatus = exit;
          resolveExit(exit);
        });
      } catch (err) {
        e.io?.abort();
        e.status = 'stopped';
        e.exitStatus = { exitCode: 126, signal: null, exitedAt: new Date().toISOString() };
        e.exit = Promise.resolve(e.exitStatus);
        throw err;
      }
      return this.info(id, e, ref.execId);
    },
    state: async (_ns, id, ref) => this.info(id, this.proc(id, ref), ref?.execId),
    list: async () => [...this.tasks_.entries()].map(([id, t]) => this.info(id, t)),
    kill: async (_ns, id, signal, opts = {}) => {
      if (opts.execId) {
        const e = this.proc(id, opts);
        if (e.status === 'running') process.kill(e.pid, signal);
        return;
      }
      await this.runtime.kill(id, signal, { all: !!opts.all });
    },
    wait: async (_ns, id, ref) => this.proc(id, ref).exit,
    delete: async (_ns, id, opts = {}) => {
      const t = this.task(id);
      if (t.status !== 'stopped') {
        if (!opts.force) throw precondition(`task ${id} is ${t.status}`);
        await this.runtime.kill(id, 9, { all: true }).catch(() => {});
        t.watch?.();
      }
      const exit = await t.exit;
      await this.runtime.delete(id, { force: true }).catch(() => {});
      if (t.mounted) {
        try {
          unmount(t.rootfs);
        } catch {
          // not mounted (any more)
        }
      }
      rmSync(t.bundle, { recursive: true, force: true });
      this.tasks_.delete(id);
      return exit;
    },
    exec: async (_ns, id, execId, opts) => {
      const t = this.task(id);
      if (t.status !== 'running') throw precondition(`container ${id} is not running`);
      if (t.execs.has(execId)) throw new DaemonError('CONFLICT', `exec ${execId} exists`);
      const io = new Io(!!opts.terminal, !!opts.stdin, undefined);
      const e = {
        pid: 0,
        status: 'created' as TaskInfo['status'],
        io,
        exit: new Promise<ExitStatus>(() => {}),
        spec: opts.process,
        terminal: !!opts.terminal,
        stdin: !!opts.stdin,
      };
      t.execs.set(execId, e);
      return this.info(id, e, execId);
    },
    deleteProcess: async (_ns, id, execId) => {
      const t = this.task(id);
      const e = t.execs.get(execId);
      if (!e) throw notFound(`no process ${execId} in container ${id}`);
      if (e.status === 'created') e.io?.abort();
      const exit = e.exitStatus ?? {
        exitCode: UNKNOWN_EXIT,
        signal: null,
        exitedAt: new Date().toISOString(),
      };
      t.execs.delete(execId);
      return exit;
    },
    pause: async (_ns, id) => {
      await this.runtime.pause(id);
      this.task(id).status = 'paused';
    },
    resume: async (_ns, id) => {
      await this.runtime.resume(id);
      this.task(id).status = 'running';
    },
    pids: async (_ns, id) => this.runtime.ps(id),
    stats: async (_ns, id): Promise<CgroupStats> => this.runtime.stats(id),
    update: async (_ns, id, resources: LinuxResources) => this.runtime.update(id, resources),
    attach: async (_ns, id, opts = {}) => {
      const p = this.proc(id, opts);
      if (!p.io) {
        // found again after a restart: its output went to the previous daemon
        const out = new PassThrough();
        out.end();
        return { stdout: out, close() {} };
      }
      return p.io.attach(opts);
    },
    resize: async () => {
      // the pty size follows the client only with the shim backend
    },
    closeStdin: async (_ns, id, ref) => {
      this.proc(id, ref).io?.closeStdin();
    },
  };

  async close(): Promise<void> {
    // containers keep running; their pipes close with this process
  }
}
