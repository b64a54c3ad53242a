// The shim task backend: one berth-shim per container (@berth/shim). The runtime prepares the
// container (state "creating", cgroup, the encoded init plan); the shim clones the init from the
// plan, becomes its parent and reaper, owns its stdio and log, and writes the exit file; the
// runtime adopts the init's pid so pause/resume/ps/stats/update/delete work as for any container.
// With an OCI runtime CLI (runc) the shim drives that CLI on the bundle instead of the plan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PassThrough, PassThrough as PT, Writable } from 'node:stream';
import type { ExecOptions as RuntimeExecOptions } from '@berth/runtime';
import {
  connectShim,
  launchShim,
  readExitFile,
  type ShimAttach,
  type ShimClient,
  type ShimExec,
  shimBinaryPath,
} from '@berth/shim';
import type {
  BackendAttach,
  BackendExec,
  BackendState,
  LaunchOptions,
  TaskBackend,
  TaskHandle,
} from './task-backend.js';
import type { ExecOptions, ExitStatus } from './types.js';

/** The process of the bundle's config.json: an exec through an OCI CLI starts from it, as runc's does. */
function bundleProcess(bundle: string): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as {
    process?: Record<string, unknown>;
  };
  return spec.process ?? {};
}

type Streams = { stdin?: boolean; stdout?: boolean; stderr?: boolean };

/** An exec that exists before it runs: the shim execs at once, so `start` is when we ask it to. */
class ShimTaskExec implements BackendExec {
  #exec?: ShimExec;
  readonly #pending: Array<(a: ShimAttach) => void> = [];

  constructor(
    private readonly task: ShimTask,
    private readonly execId: string,
    private readonly opts: ExecOptions,
    /** the process, when the shim already runs it (found again after a restart) */
    existing?: ShimExec,
  ) {
    if (existing) this.#exec = existing;
  }

  get pid(): number {
    return this.#exec?.pid ?? 0;
  }

  async start(): Promise<void> {
    if (this.#exec) throw new Error(`exec "${this.execId}" was already started`);
    const { launch, client } = this.task;
    const stdio = { terminal: !!this.opts.terminal, stdin: !!this.opts.stdin };
    const process = { ...this.opts.process, terminal: stdio.terminal } as RuntimeExecOptions['process'];
    const plan = launch.oci
      ? Buffer.from(JSON.stringify({ ...bundleProcess(launch.bundle), ...process }))
      : launch.runtime.execPlan(launch.runtimeId, { process });
    this.#exec = await client.exec(this.execId, plan, stdio);
    // the streams opened with the exec carry all its output: hand them to whoever attached before start
    const first = await this.#exec.attach();
    if (this.#pending.length === 0) {
      // nobody attached before start (a detached exec): read the output away rather than let it pile
      // up in this process; a later attach gets the output from then on
      first.stdout.resume();
      first.stderr?.resume();
      void this.#exec.wait().then(
        () => first.close(),
        () => first.close(),
      );
    } else for (const connect of this.#pending.splice(0)) connect(first);
  }

  async attach(opts: Streams): Promise<BackendAttach> {
    if (this.#exec) return this.#exec.attach(opts);
    // before start: streams that are connected to the exec's own streams when it starts
    const out: BackendAttach = { close: () => {} };
    const relays: PassThrough[] = [];
    const relay = () => {
      const pt = new PT();
      relays.push(pt);
      return pt;
    };
    const stdout = opts.stdout !== false ? relay() : undefined;
    const stderr = opts.stderr !== false && !this.opts.terminal ? relay() : undefined;
    if (stdout) out.stdout = stdout;
    if (stderr) out.stderr = stderr;
    let stdinTarget: Writable | undefined;
    const buffered: Buffer[] = [];
    let stdinEnded = false;
    if (opts.stdin && this.opts.stdin) {
      out.stdin = new Writable({
        write: (chunk: Buffer, _e, cb) => {
          if (stdinTarget) stdinTarget.write(chunk, cb);
          else {
            buffered.push(chunk);
            cb();
          }
        },
        final: (cb) => {
          if (stdinTarget) stdinTarget.end();
          else stdinEnded = true;
          cb();
        },
      });
    }
    let live: ShimAttach | undefined;
    out.close = () => {
      live?.close();
      for (const r of relays) r.end();
    };
    this.#pending.push((a) => {
      live = a;
      if (stdout) a.stdout.pipe(stdout);
      else a.stdout.resume();
      if (a.stderr) {
        if (stderr) a.stderr.pipe(stderr);
        else a.stderr.resume();
      }
      if (a.stdin) {
        stdinTarget = a.stdin;
        for (const b of buffered.splice(0)) a.stdin.write(b);
        if (stdinEnded) a.stdin.end();
      }
    });
    return out;
  }

  wait(): Promise<ExitStatus> {
    return this.#exec!.wait();
  }

  resize(cols: number, rows: number): Promise<void> {
    return this.#exec!.resize(cols, rows);
  }

  kill(signal: number): Promise<void> {
    return this.#exec!.kill(signal);
  }

  async closeStdin(): Promise<void> {
    const a = await this.#exec!.attach({ stdin: true, stdout: false, stderr: false });
    a.stdin?.end();
    a.close();
  }
}

class ShimTask implements TaskHandle {
  constructor(
    readonly client: ShimClient,
    readonly launch: LaunchOptions,
  ) {}

  get pid(): number {
    return this.client.pid;
  }

  async start(): Promise<void> {
    // startContainer hooks first, in the container's namespaces (an OCI runtime CLI runs its own)
    if (!this.launch.oci) await this.launch.runtime.beforeStart(this.launch.runtimeId);
    await this.client.start();
    if (this.launch.oci) return;
    try {
      await this.launch.runtime.adopt(this.launch.runtimeId, { pid: this.client.pid, status: 'running' });
    } catch (e) {
      // a process that exited at once is no longer there to adopt as running: its exit is what counts
      if ((e as { code?: string }).code !== 'EBADSTATE') throw e;
    }
  }

  kill(signal: number, all?: boolean): Promise<void> {
    return this.client.kill(signal, !!all);
  }

  state(): Promise<BackendState> {
    return this.client.state();
  }

  wait(): Promise<ExitStatus> {
    return this.client.wait();
  }

  attach(opts: Streams): Promise<BackendAttach> {
    return this.client.attach(opts);
  }

  resize(cols: number, rows: number): Promise<void> {
    return this.client.resize(cols, rows);
  }

  async closeStdin(): Promise<void> {
    const a = await this.client.attach({ stdin: true, stdout: false, stderr: false });
    a.stdin?.end();
    a.close();
  }

  async exec(execId: string, opts: ExecOptions): Promise<BackendExec> {
    return new ShimTaskExec(this, execId, opts);
  }

  async reattachExec(execId: string, opts: ExecOptions): Promise<BackendExec | undefined> {
    const existing = await this.client.process(execId);
    return existing && new ShimTaskExec(this, execId, opts, existing);
  }

  shutdown(): Promise<void> {
    return this.client.shutdown();
  }

  close(): void {
    this.client.close();
  }
}

export class ShimBackend implements TaskBackend {
  readonly name = 'shim';

  async launch(opts: LaunchOptions): Promise<TaskHandle> {
    const stdio = { terminal: opts.terminal, stdin: opts.stdin };
    const log = opts.log ? { log: opts.log } : {};
    if (opts.oci) {
      const client = await launchShim({
        id: opts.runtimeId,
        dir: opts.dir,
        runtime: { path: opts.oci.path, bundle: opts.bundle, root: opts.oci.root },
        stdio,
        ...log,
      });
      return new ShimTask(client, opts);
    }
    const { plan } = await opts.runtime.prepare(opts.runtimeId, { bundle: opts.bundle });
    const client = await launchShim({ id: opts.runtimeId, dir: opts.dir, plan, stdio, ...log });
    try {
      await opts.runtime.adopt(opts.runtimeId, { pid: client.pid });
    } catch (e) {
      await client.shutdown().catch(() => {});
      client.close();
      throw e;
    }
    return new ShimTask(client, opts);
  }

  async reconnect(opts: LaunchOptions): Promise<TaskHandle | undefined> {
    try {
      return new ShimTask(await connectShim(opts.dir), opts);
    } catch {
      return undefined;
    }
  }

  readExit(dir: string): ExitStatus | undefined {
    try {
      return readExitFile(dir);
    } catch {
      return undefined;
    }
  }
}

/** The shim backend, or undefined when the berth-shim executable is not built. */
export async function createShimBackend(): Promise<TaskBackend | undefined> {
  try {
    shimBinaryPath();
  } catch {
    return undefined;
  }
  return new ShimBackend();
}
