// What the tasks service needs from whatever holds a container's processes: the shim (@berth/shim,
// one small process per container that outlives the supervisor) or, as a fallback, @berth/runtime
// driven in this process. The shape is the ShimClient contract, so swapping backends is one place.
import type { Readable, Writable } from 'node:stream';
import type { Runtime } from '@berth/runtime';
import type { ExecOptions, ExitStatus, LogConfig } from './types.js';

export interface BackendAttach {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  close(): void;
}

export interface BackendState {
  status: 'created' | 'running' | 'stopped';
  pid: number;
  exitCode?: number;
  exitedAt?: string;
}

export interface BackendExec {
  readonly pid: number;
  start(): Promise<void>;
  attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<BackendAttach>;
  wait(): Promise<ExitStatus>;
  resize(cols: number, rows: number): Promise<void>;
  kill(signal: number): Promise<void>;
  closeStdin(): Promise<void>;
}

/** One container's init and the processes exec'd into it. */
export interface TaskHandle {
  /** the container init's pid (host pid namespace) */
  readonly pid: number;
  start(): Promise<void>;
  kill(signal: number, all?: boolean): Promise<void>;
  state(): Promise<BackendState>;
  wait(): Promise<ExitStatus>;
  attach(opts: { stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<BackendAttach>;
  resize(cols: number, rows: number): Promise<void>;
  closeStdin(): Promise<void>;
  exec(execId: string, opts: ExecOptions): Promise<BackendExec>;
  /**
   * The exec'd process `execId` this holder already runs or ran (found again after a supervisor
   * restart or a lost connection), started, its wait answering with its real exit; undefined when
   * the holder does not know it. Absent where exec'd processes do not outlive the supervisor.
   */
  reattachExec?(execId: string, opts: ExecOptions): Promise<BackendExec | undefined>;
  /** The process is gone and deleted: let the holder (shim) exit. */
  shutdown(): Promise<void>;
  /** Drops this client's connection; the holder and container keep running. */
  close(): void;
}

export interface LaunchOptions {
  /** the runtime's id of the container (unique in its Runtime root) */
  runtimeId: string;
  runtime: Runtime;
  /** bundle directory: config.json + rootfs/ */
  bundle: string;
  /** the holder's directory (socket, exit file, pid file) */
  dir: string;
  terminal: boolean;
  stdin: boolean;
  log?: LogConfig;
  /** drive this OCI runtime CLI (runc) on the bundle instead of berth's engine (shim backend only) */
  oci?: { path: string; root: string };
}

export interface TaskBackend {
  readonly name: string;
  /** Creates the container ("created") and returns the handle that holds it. */
  launch(opts: LaunchOptions): Promise<TaskHandle>;
  /** Reconnects after a supervisor restart; undefined when the holder is gone. */
  reconnect(opts: LaunchOptions): Promise<TaskHandle | undefined>;
  /** The exit status the holder left behind (survives the holder), if the init has exited. */
  readExit(dir: string): ExitStatus | undefined;
}
