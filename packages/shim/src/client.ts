// ShimClient: the supervisor's handle on one shim. A control connection carries start, kill,
// state, wait, resize, exec's wait and shutdown; each attach and each exec has its own connection.
import { join } from 'node:path';
import { type AttachOptions, type ShimAttach, streamMask, wireAttach } from './attach.js';
import { Connection, expectType } from './connection.js';
import { isShimError, ShimError } from './errors.js';
import { readExitFile } from './exit-file.js';
import {
  decodeAttachOk,
  decodeExec,
  decodeExit,
  decodeState,
  MsgType,
  PayloadWriter,
  Stream,
} from './protocol.js';

export const SHIM_SOCKET = 'shim.sock';

export interface ShimState {
  status: 'created' | 'running' | 'stopped';
  pid: number;
  exitCode?: number;
  exitedAt?: string;
}

export interface ShimExitStatus {
  exitCode: number;
  /** the signal that ended the process (exitCode is then 128 + signal) */
  signal: number | null;
  exitedAt: string;
}

export interface ShimStdio {
  terminal: boolean;
  stdin: boolean;
  /**
   * exec only: open the process's streams with it (default true). A caller that will not read
   * them (a detached exec) passes false: streams it holds but does not read would, past 1 MiB,
   * make the process wait (the shim applies back-pressure, as Docker does).
   */
  attach?: boolean;
}

export interface ShimExec {
  readonly id: string;
  readonly pid: number;
  /** the first call returns the streams opened with the exec (no output is lost); later calls attach anew */
  attach(opts?: AttachOptions): Promise<ShimAttach>;
  wait(): Promise<ShimExitStatus>;
  resize(cols: number, rows: number): Promise<void>;
  kill(signal: number): Promise<void>;
}

const str = (s: string) => new PayloadWriter().str(s).finish();

function checkSignal(signal: number): void {
  if (!Number.isInteger(signal) || signal < 1 || signal > 64)
    throw new ShimError('EINVALID', `signal must be 1..64, got ${signal}`);
}

function checkSize(cols: number, rows: number): void {
  for (const [name, v] of [
    ['cols', cols],
    ['rows', rows],
  ] as const)
    if (!Number.isInteger(v) || v < 1 || v > 65535)
      throw new ShimError('EINVALID', `${name} must be 1..65535, got ${v}`);
}

export class ShimClient {
  /** the container's init */
  readonly pid: number;
  readonly shimPid: number;
  readonly dir: string;
  private readonly conn: Connection;

  private constructor(dir: string, conn: Connection, pid: number, shimPid: number) {
    this.dir = dir;
    this.conn = conn;
    this.pid = pid;
    this.shimPid = shimPid;
  }

  get socketPath(): string {
    return join(this.dir, SHIM_SOCKET);
  }

  /** Connects to the shim serving `dir` (see connectShim). */
  static async connect(dir: string): Promise<ShimClient> {
    const conn = await Connection.open(join(dir, SHIM_SOCKET), false);
    try {
      const f = expectType('state', await conn.request('state', MsgType.STATE, str('')), MsgType.STATE_R);
      const s = decodeState(f.payload);
      return new ShimClient(dir, conn, s.pid, s.shimPid);
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  private async simple(what: string, type: number, payload: Buffer): Promise<void> {
    expectType(what, await this.conn.request(what, type, payload), MsgType.OK);
  }

  /** Lets the created init exec its process; rejects with ContainerInitError when exec fails. */
  start(): Promise<void> {
    return this.simple('start', MsgType.START, str(''));
  }

  /** A signal to the init, or with `all` to every process of the container's cgroup. */
  kill(signal: number, all = false): Promise<void> {
    checkSignal(signal);
    return this.simple(
      'kill',
      MsgType.KILL,
      new PayloadWriter()
        .u32(signal)
        .u32(all ? 1 : 0)
        .str('')
        .finish(),
    );
  }

  async state(): Promise<ShimState> {
    const f = expectType('state', await this.conn.request('state', MsgType.STATE, str('')), MsgType.STATE_R);
    const s = decodeState(f.payload);
    const out: ShimState = { status: s.status, pid: s.pid };
    if (s.status === 'stopped') {
      out.exitCode = s.exitCode;
      out.exitedAt = s.exitedAt;
    }
    return out;
  }

  /**
   * Resolves once the init has exited and its output is drained. If the shim goes away meanwhile,
   * the exit file it left answers instead.
   */
  async wait(): Promise<ShimExitStatus> {
    try {
      const f = expectType('wait', await this.conn.request('wait', MsgType.WAIT, str('')), MsgType.EXIT);
      const e = decodeExit(f.payload);
      return { exitCode: e.exitCode, signal: e.signal || null, exitedAt: e.exitedAt };
    } catch (e) {
      if (e instanceof ShimError && e.code === 'EDISCONNECTED') {
        const status = readExitFile(this.dir);
        if (status) return status;
      }
      throw e;
    }
  }

  /** Streams of the init (its own connection; output from now on). */
  attach(opts: AttachOptions = {}): Promise<ShimAttach> {
    return attachTo(this.socketPath, '', opts);
  }

  /** The init's terminal size. */
  resize(cols: number, rows: number): Promise<void> {
    checkSize(cols, rows);
    return this.simple('resize', MsgType.RESIZE, new PayloadWriter().u32(cols).u32(rows).str('').finish());
  }

  /**
   * Runs a process in the container from an exec plan (Runtime.execPlan): the shim is its parent,
   * its stdio are the shim's pipes or pty. Resolves once it has exec'd. A shim driving an OCI
   * runtime CLI takes the process JSON (config.json `process` shape) as `plan` instead.
   */
  async exec(execId: string, plan: Buffer, stdio: ShimStdio): Promise<ShimExec> {
    if (!execId || execId.length >= 128) throw new ShimError('EINVALID', 'exec id must be 1..127 characters');
    const conn = await Connection.open(this.socketPath, true);
    const wired = wireAttach(conn);
    const streams =
      stdio.attach === false ? 0 : Stream.STDOUT | Stream.STDERR | (stdio.stdin ? Stream.STDIN : 0);
    const payload = new PayloadWriter()
      .u32((stdio.terminal ? 1 : 0) | (stdio.stdin ? 2 : 0))
      .u32(streams)
      .str(execId)
      .bytes(plan)
      .finish();
    let reply: { pid: number; streams: number };
    try {
      reply = decodeExec(
        expectType('exec', await conn.request('exec', MsgType.EXEC, payload), MsgType.EXEC_R).payload,
      );
    } catch (e) {
      conn.close();
      throw e;
    }
    let first: ShimAttach | undefined;
    if (reply.streams) first = wired.finish(reply.streams);
    else conn.close();
    return this.handle(execId, reply.pid, first);
  }

  /**
   * A handle on an exec'd process the shim already runs (or ran), found by its id: what a supervisor
   * that restarted needs to follow it again. Undefined when the shim does not know the id.
   */
  async process(execId: string): Promise<ShimExec | undefined> {
    if (!execId || execId.length >= 128) throw new ShimError('EINVALID', 'exec id must be 1..127 characters');
    let pid: number;
    try {
      const f = expectType(
        'state',
        await this.conn.request('state', MsgType.STATE, str(execId)),
        MsgType.STATE_R,
      );
      pid = decodeState(f.payload).pid;
    } catch (e) {
      if (isShimError(e, 'EREQUEST') && e.errno === 'ESRCH') return undefined;
      throw e;
    }
    return this.handle(execId, pid, undefined);
  }

  /** The requests that name an exec'd process by its id; `first` is the attach its exec opened. */
  private handle(execId: string, pid: number, first: ShimAttach | undefined): ShimExec {
    const client = this;
    return {
      id: execId,
      pid,
      attach(opts: AttachOptions = {}) {
        if (first) {
          const a = first;
          first = undefined;
          return Promise.resolve(a);
        }
        return attachTo(client.socketPath, execId, opts);
      },
      async wait() {
        const f = expectType(
          'wait',
          await client.conn.request('wait', MsgType.WAIT, str(execId)),
          MsgType.EXIT,
        );
        const e = decodeExit(f.payload);
        return { exitCode: e.exitCode, signal: e.signal || null, exitedAt: e.exitedAt };
      },
      resize(cols: number, rows: number) {
        checkSize(cols, rows);
        return client.simple(
          'resize',
          MsgType.RESIZE,
          new PayloadWriter().u32(cols).u32(rows).str(execId).finish(),
        );
      },
      kill(signal: number) {
        checkSignal(signal);
        return client.simple(
          'kill',
          MsgType.KILL,
          new PayloadWriter().u32(signal).u32(0).str(execId).finish(),
        );
      },
    };
  }

  /**
   * Ends the shim: a container still running is killed (SIGKILL) and reaped first; the socket is
   * removed, the exit file stays. Resolves once the shim has closed this connection, i.e. when it
   * has done all that and is exiting.
   */
  async shutdown(): Promise<void> {
    await this.simple('shutdown', MsgType.SHUTDOWN, Buffer.alloc(0));
    await this.conn.whenClosed();
  }

  /** Closes this client's control connection; the shim and the container keep running. */
  close(): void {
    this.conn.close();
  }
}

async function attachTo(socketPath: string, execId: string, opts: AttachOptions): Promise<ShimAttach> {
  const mask = streamMask(opts);
  if (mask === 0) throw new ShimError('EINVALID', 'attach needs at least one stream');
  const conn = await Connection.open(socketPath, true);
  const wired = wireAttach(conn);
  try {
    const f = expectType(
      'attach',
      await conn.request('attach', MsgType.ATTACH, new PayloadWriter().u32(mask).str(execId).finish()),
      MsgType.OK,
    );
    return wired.finish(decodeAttachOk(f.payload));
  } catch (e) {
    conn.close();
    throw e;
  }
}
