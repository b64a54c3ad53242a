// The fallback task backend: @berth/runtime drives the container from this process, with the
// container's stdio on socket pairs (or a pty) read here. It works without the shim but cannot keep
// a container's stdio or exit status across a supervisor restart: a container that outlives the
// supervisor is found again by its pid (kill, state and delete work) and its exit is reported with
// the unknown exit code 255, as containerd does for a lost shim.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { type ContainerProcess, pidfdOpen, recvFds, socketpair, waitReadable } from '@berth/native';
import type { Runtime, ExecOptions as RuntimeExecOptions } from '@berth/runtime';
import { z } from 'zod';
import { SupervisorError } from './errors.js';
import { LogWriter } from './log-writer.js';
import { OutputHub } from './output-hub.js';
import type {
  BackendAttach,
  BackendExec,
  BackendState,
  LaunchOptions,
  TaskBackend,
  TaskHandle,
} from './task-backend.js';
import type { ExecOptions, ExitStatus, LogConfig } from './types.js';

export const EXIT_FILE = 'exit.json';
/** containerd's exit code for a process whose real status could not be had */
export const UNKNOWN_EXIT_CODE = 255;

const ExitFile = z.object({
  exitCode: z.number().int(),
  signal: z.number().int().nullable(),
  exitedAt: z.string(),
});

export function writeExitFile(dir: string, status: ExitStatus): void {
  const tmp = join(dir, `.${EXIT_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(status));
  renameSync(tmp, join(dir, EXIT_FILE));
}

export function readExitFile(dir: string): ExitStatus | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, EXIT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const r = ExitFile.safeParse(JSON.parse(text));
  return r.success ? r.data : undefined;
}

function toExit(st: { exitCode: number | null; signal: number | null }): ExitStatus {
  const signal = st.signal ?? null;
  return {
    exitCode: signal !== null ? 128 + signal : (st.exitCode ?? UNKNOWN_EXIT_CODE),
    signal,
    exitedAt: new Date().toISOString(),
  };
}

/**
 * The pty master of a terminal process, read until the container's side of the pty is gone.
 *
 * Not a tty.ReadStream: libuv (1.46, in Node 20) takes a short read while the fd reports POLLHUP for
 * the end of the stream, but a master's read returns only what its line discipline holds (at most
 * 4 KiB) while more can still wait in the pty's buffer, so the last output of a container that had
 * just exited was lost (libuv/libuv#4992). Here only EIO (every slave closed and all input read) or
 * 0 ends the output; each wake-up of the poll is followed by one read, which cannot block.
 */
export class PtyMaster {
  readonly output: Readable;
  #closed = false;

  constructor(readonly fd: number) {
    this.output = new Readable({ read() {} });
    // waitReadable (a libuv poll) also makes the fd non-blocking: a full pty makes writes EAGAIN
    void this.#pump().then(
      () => this.#close(),
      (e: unknown) => {
        this.#close();
        this.output.destroy(e as Error);
      },
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #pump(): Promise<void> {
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      await waitReadable(this.fd);
      let n: number;
      try {
        n = readSync(this.fd, buf);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EINTR') continue;
        if (code !== 'EIO') throw e;
        n = 0;
      }
      if (n === 0) {
        this.output.push(null);
        return;
      }
      this.output.push(Buffer.from(buf.subarray(0, n)));
    }
  }

  // the poll is over when this runs: closing the fd cannot pull it from under a pending poll
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.fd);
  }

  /** Typed input. Once the terminal is gone it is dropped, as a terminal drops keys after a hangup. */
  write(chunk: Buffer, cb: (e?: Error | null) => void): void {
    let off = 0;
    const attempt = () => {
      while (off < chunk.length) {
        if (this.#closed) return cb();
        try {
          off += writeSync(this.fd, chunk, off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EINTR') continue;
          // the program does not read its terminal and the pty is full; the poll belongs to the
          // reader (one per fd), so try again a little later
          if (code === 'EAGAIN') {
            setTimeout(attempt, 10);
            return;
          }
          if (code === 'EIO') return cb();
          return cb(e as Error);
        }
      }
      cb();
    };
    attempt();
  }
}

/** The host side of a process's stdio; the child side goes into the plan. */
class ProcessIo {
  readonly childStdio: [number, number, number] | undefined;
  readonly consoleFd: number | undefined;
  readonly #hostConsole: number | undefined;
  readonly #host: { stdin?: number; stdout?: number; stderr?: number } = {};
  readonly #childFds: number[] = [];
  hub!: OutputHub;
  stdin?: Writable;
  #master?: PtyMaster;

  constructor(
    readonly terminal: boolean,
    readonly wantStdin: boolean,
    private readonly log?: LogConfig,
  ) {
    if (terminal) {
      const [host, child] = socketpair();
      this.#hostConsole = host;
      this.consoleFd = child;
      this.#childFds.push(child);
      return;
    }
    const pair = () => {
      const [host, child] = socketpair();
      this.#childFds.push(child);
      return { host, child };
    };
    let stdinChild: number;
    if (wantStdin) {
      const p = pair();
      this.#host.stdin = p.host;
      stdinChild = p.child;
    } else {
      stdinChild = openSync('/dev/null', 'r');
      this.#childFds.push(stdinChild);
    }
    const out = pair();
    const err = pair();
    this.#host.stdout = out.host;
    this.#host.stderr = err.host;
    this.childStdio = [stdinChild, out.child, err.child];
  }

  /** After the process exists: close our copies of its ends, start reading ours. */
  connect(): void {
    for (const fd of this.#childFds.splice(0)) closeSync(fd);
    const log = this.log ? new LogWriter(this.log) : undefined;
    if (this.#hostConsole !== undefined) {
      // the engine sent the pty master over the console socket before reporting "created"
      const got = recvFds(this.#hostConsole, 1, 64);
      closeSync(this.#hostConsole);
      const master = got.fds[0];
      if (master === undefined) throw new SupervisorError('INTERNAL', 'the container sent no pty master');
      const pty = new PtyMaster(master);
      this.#master = pty;
      this.hub = new OutputHub({ stdout: pty.output }, log);
      if (this.wantStdin) {
        this.stdin = new Writable({ write: (chunk: Buffer, _enc, cb) => pty.write(chunk, cb) });
      }
      return;
    }
    const sock = (fd: number, readable: boolean) =>
      new Socket({ fd, readable, writable: !readable, allowHalfOpen: true });
    this.hub = new OutputHub(
      { stdout: sock(this.#host.stdout!, true), stderr: sock(this.#host.stderr!, true) },
      log,
    );
    if (this.#host.stdin !== undefined) this.stdin = sock(this.#host.stdin, false);
  }

  /** If the process never came to be: close everything. */
  abort(): void {
    for (const fd of this.#childFds.splice(0)) closeSync(fd);
    for (const fd of [this.#hostConsole, this.#host.stdin, this.#host.stdout, this.#host.stderr])
      if (fd !== undefined) closeSync(fd);
  }

  attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): BackendAttach {
    const streams: PassThrough[] = [];
    const out: BackendAttach = {
      close: () => {
        for (const s of streams) this.hub.detach(s);
      },
    };
    if (opts.stdout !== false) {
      const pt = this.hub.attach('stdout');
      out.stdout = pt;
      streams.push(pt);
    }
    if (opts.stderr !== false && !this.terminal) {
      const pt = this.hub.attach('stderr');
      out.stderr = pt;
      streams.push(pt);
    }
    if (opts.stdin && this.stdin) {
      // a client's stdin ending closes the process's stdin (docker attach with --stdin, then EOF)
      const target = this.stdin;
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
    this.stdin?.end();
  }

  get hasMaster(): boolean {
    return this.#master !== undefined && !this.#master.closed;
  }
}

class InProcessExec implements BackendExec {
  #proc?: ContainerProcess;
  #exit?: Promise<ExitStatus>;
  #resolveExit!: (s: ExitStatus) => void;

  constructor(
    private readonly runtime: Runtime,
    private readonly runtimeId: string,
    private readonly opts: ExecOptions,
    private readonly io: ProcessIo,
  ) {
    this.#exit = new Promise((r) => (this.#resolveExit = r));
  }

  get pid(): number {
    return this.#proc?.pid ?? 0;
  }

  async start(): Promise<void> {
    const io = this.io;
    try {
      this.#proc = await this.runtime.exec(this.runtimeId, {
        process: { ...this.opts.process, terminal: io.terminal } as RuntimeExecOptions['process'],
        ...(io.childStdio ? { stdio: io.childStdio } : {}),
        ...(io.consoleFd !== undefined ? { consoleSocketFd: io.consoleFd } : {}),
      });
    } catch (e) {
      io.abort();
      throw e;
    }
    io.connect();
    const proc = this.#proc;
    void proc.wait().then(async (st) => {
      await io.hub.drained();
      this.#resolveExit(toExit(st));
    });
  }

  attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<BackendAttach> {
    if (!this.#proc) return Promise.resolve(this.#preStartAttach(opts));
    return Promise.resolve(this.io.attach(opts));
  }

  // Before start the hub does not exist yet: hand out streams that are connected at start.
  #preStartAttach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): BackendAttach {
    const out: BackendAttach = { close: () => {} };
    const later: Array<() => void> = [];
    const relay = (name: 'stdout' | 'stderr') => {
      const pt = new PassThrough();
      later.push(() => this.io.hub.attach(name).pipe(pt));
      return pt;
    };
    if (opts.stdout !== false) out.stdout = relay('stdout');
    if (opts.stderr !== false && !this.io.terminal) out.stderr = relay('stderr');
    if (opts.stdin && this.io.wantStdin) {
      const buffered: Array<[Buffer, () => void]> = [];
      let ended = false;
      out.stdin = new Writable({
        write: (chunk: Buffer, _e, cb) => {
          if (this.io.stdin) this.io.stdin.write(chunk, cb);
          else buffered.push([chunk, () => cb()]);
        },
        final: (cb) => {
          if (this.io.stdin) this.io.stdin.end();
          else ended = true;
          cb();
        },
      });
      later.push(() => {
        for (const [chunk, cb] of buffered) this.io.stdin?.write(chunk, cb);
        if (ended) this.io.stdin?.end();
      });
    }
    this.pending.push(...later);
    return out;
  }

  readonly pending: Array<() => void> = [];

  wait(): Promise<ExitStatus> {
    return this.#exit!;
  }

  async resize(): Promise<void> {
    throw new SupervisorError(
      'UNIMPLEMENTED',
      'resizing a terminal needs the shim (in-process task backend)',
    );
  }

  async kill(signal: number): Promise<void> {
    if (!this.#proc) throw new SupervisorError('FAILED_PRECONDITION', 'the exec has not been started');
    this.#proc.kill(signal);
  }

  async closeStdin(): Promise<void> {
    this.io.closeStdin();
  }
}

class InProcessTask implements TaskHandle {
  readonly #exit: Promise<ExitStatus>;
  // ContainerProcess.wait() reaps and closes the start socket: waiting while start() still reads
  // from that socket would pull it away under it, so waiting begins once start is over (or a kill).
  #openGate!: () => void;
  readonly #gate = new Promise<void>((r) => (this.#openGate = r));

  constructor(
    private readonly runtime: Runtime,
    private readonly runtimeId: string,
    proc: ContainerProcess | undefined,
    private readonly io: ProcessIo | undefined,
    readonly pid: number,
    dir: string,
  ) {
    const done = proc
      ? this.#gate
          .then(() => proc.wait())
          .then(async (st) => {
            await io?.hub.drained();
            return toExit(st);
          })
      : waitForeign(pid);
    this.#exit = done.then((st) => {
      writeExitFile(dir, st);
      return st;
    });
  }

  async start(): Promise<void> {
    try {
      await this.runtime.start(this.runtimeId);
    } finally {
      this.#openGate();
    }
  }

  async kill(signal: number, all?: boolean): Promise<void> {
    await this.runtime.kill(this.runtimeId, signal, { all: !!all });
    this.#openGate();
  }

  async state(): Promise<BackendState> {
    const st = this.runtime.state(this.runtimeId);
    const status =
      st.status === 'stopped'
        ? 'stopped'
        : st.status === 'created' || st.status === 'creating'
          ? 'created'
          : 'running';
    return { status, pid: this.pid };
  }

  wait(): Promise<ExitStatus> {
    return this.#exit;
  }

  async attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<BackendAttach> {
    if (!this.io) throw lostStdio();
    return this.io.attach(opts);
  }

  async resize(): Promise<void> {
    throw new SupervisorError(
      'UNIMPLEMENTED',
      'resizing a terminal needs the shim (in-process task backend)',
    );
  }

  async closeStdin(): Promise<void> {
    if (!this.io) throw lostStdio();
    this.io.closeStdin();
  }

  async exec(_execId: string, opts: ExecOptions): Promise<BackendExec> {
    const io = new ProcessIo(!!opts.terminal, !!opts.stdin);
    const ex = new InProcessExec(this.runtime, this.runtimeId, opts, io);
    const start = ex.start.bind(ex);
    ex.start = async () => {
      await start();
      for (const f of ex.pending.splice(0)) f();
    };
    return ex;
  }

  async shutdown(): Promise<void> {}

  close(): void {}
}

const lostStdio = () =>
  new SupervisorError(
    'FAILED_PRECONDITION',
    'the stdio of a container started by an earlier supervisor process is gone (in-process task backend)',
  );

/** Waits for a process that is not our child (pidfd readable = exited); its status is unknown. */
async function waitForeign(pid: number): Promise<ExitStatus> {
  let fd: number;
  try {
    fd = pidfdOpen(pid);
  } catch {
    return { exitCode: UNKNOWN_EXIT_CODE, signal: null, exitedAt: new Date().toISOString() };
  }
  try {
    await waitReadable(fd);
  } finally {
    closeSync(fd);
  }
  return { exitCode: UNKNOWN_EXIT_CODE, signal: null, exitedAt: new Date().toISOString() };
}

export class InProcessBackend implements TaskBackend {
  readonly name = 'in-process';

  async launch(opts: LaunchOptions): Promise<TaskHandle> {
    mkdirSync(opts.dir, { recursive: true });
    const io = new ProcessIo(opts.terminal, opts.stdin, opts.log);
    let result: Awaited<ReturnType<Runtime['create']>>;
    try {
      result = await opts.runtime.create(opts.runtimeId, {
        bundle: opts.bundle,
        ...(io.childStdio ? { stdio: io.childStdio } : {}),
        ...(io.consoleFd !== undefined ? { consoleSocketFd: io.consoleFd } : {}),
      });
    } catch (e) {
      io.abort();
      throw e;
    }
    io.connect();
    return new InProcessTask(opts.runtime, opts.runtimeId, result.process, io, result.process.pid, opts.dir);
  }

  async reconnect(opts: LaunchOptions): Promise<TaskHandle | undefined> {
    let st: ReturnType<Runtime['state']>;
    try {
      st = opts.runtime.state(opts.runtimeId);
    } catch {
      return undefined;
    }
    if (st.status === 'stopped' || st.pid === 0) return undefined;
    return new InProcessTask(opts.runtime, opts.runtimeId, undefined, undefined, st.pid, opts.dir);
  }

  readExit(dir: string): ExitStatus | undefined {
    return readExitFile(dir);
  }
}
