// The runtime as one object over a state root: what the supervisor uses in-process and what the
// berth-runtime CLI calls, one method per lifecycle operation (each in its own file).
import type { CgroupEvent, CgroupStats, LinuxResources } from '@berth/cgroups';
import { type ContainerProcess, capabilityNames, type WaitStatus } from '@berth/native';
import type { RuntimeContext } from './context.js';
import { type CreateOptions, type CreateResult, create } from './create.js';
import { type DeleteOptions, deleteContainer } from './delete.js';
import { type ExecOptions, exec } from './exec.js';
import { type Features, features } from './features.js';
import { type KillOptions, kill } from './kill.js';
import { pause, resume } from './pause.js';
import { type AdoptOptions, adopt, beforeStart, execPlan, type PrepareResult, prepare } from './prepare.js';
import { events, ociStats, ps, stats, update } from './ps.js';
import type { RuntimeSpec } from './spec.js';
import { start } from './start.js';
import { type State, toState } from './state.js';
import { DEFAULT_ROOT, StateStore } from './store.js';

export interface RuntimeOptions {
  /** the state root (default /run/berth-runtime) */
  root?: string;
  /** where warnings go (default: nowhere) */
  warn?: (message: string) => void;
}

export interface RunOptions extends CreateOptions {
  /** keep the container after it exits (default: delete it) */
  keep?: boolean;
}

export class Runtime {
  readonly root: string;
  private readonly ctx: RuntimeContext;

  constructor(opts: RuntimeOptions = {}) {
    this.root = opts.root ?? DEFAULT_ROOT;
    this.ctx = { store: new StateStore(this.root), handles: new Map(), warn: opts.warn ?? (() => {}) };
  }

  /** Creates the container: its init waits for `start` ("created"). */
  create(id: string, opts: CreateOptions = {}): Promise<CreateResult> {
    return create(this.ctx, id, opts);
  }

  /**
   * Everything `create` does before clone (state "creating", cgroup, plan) for a container whose
   * init a shim makes: the encoded init plan, with stdio/console left for the shim.
   */
  prepare(id: string, opts: CreateOptions = {}): Promise<PrepareResult> {
    return prepare(this.ctx, id, opts);
  }

  /** Records the init a shim made from `prepare`'s plan (again with status 'running' after start). */
  adopt(id: string, opts: AdoptOptions): Promise<void> {
    return adopt(this.ctx, id, opts);
  }

  /** Before a shim starts the container `prepare` made: its startContainer hooks (as `start` runs them). */
  beforeStart(id: string): Promise<void> {
    return beforeStart(this.ctx, id);
  }

  /** The encoded plan of a process to exec in the container through its shim. */
  execPlan(id: string, opts: ExecOptions): Buffer {
    return execPlan(this.ctx, id, opts);
  }

  start(id: string): Promise<void> {
    return start(this.ctx, id);
  }

  state(id: string): State {
    return toState(this.ctx.store.read(id));
  }

  list(): State[] {
    const out: State[] = [];
    for (const id of this.ctx.store.ids()) {
      try {
        out.push(this.state(id));
      } catch {
        // a directory being created or deleted right now
      }
    }
    return out;
  }

  kill(id: string, signal: string | number = 'SIGTERM', opts: KillOptions = {}): Promise<void> {
    return kill(this.ctx, id, signal, opts);
  }

  delete(id: string, opts: DeleteOptions = {}): Promise<void> {
    return deleteContainer(this.ctx, id, opts);
  }

  /** Waits for the init of a container this Runtime created (and reaps it). */
  wait(id: string): Promise<WaitStatus> {
    const handle = this.ctx.handles.get(id);
    if (!handle) throw new Error(`container ${id} was not created by this process`);
    return handle.wait();
  }

  /** The init this Runtime holds for a container it created, if any. */
  process(id: string): ContainerProcess | undefined {
    return this.ctx.handles.get(id);
  }

  /** create + start + wait (+ delete unless `keep`): the exit status of the init. */
  async run(id: string, opts: RunOptions = {}): Promise<WaitStatus> {
    await this.create(id, opts);
    try {
      await this.start(id);
      return await this.wait(id);
    } finally {
      if (!opts.keep) await this.delete(id, { force: true });
    }
  }

  exec(id: string, opts: ExecOptions): Promise<ContainerProcess> {
    return exec(this.ctx, id, opts);
  }

  ps(id: string): number[] {
    return ps(this.ctx, id);
  }

  pause(id: string): Promise<void> {
    return pause(this.ctx, id);
  }

  resume(id: string): Promise<void> {
    return resume(this.ctx, id);
  }

  update(id: string, resources: LinuxResources): Promise<void> {
    return update(this.ctx, id, resources);
  }

  stats(id: string): CgroupStats {
    return stats(this.ctx, id);
  }

  /** Stats in runc's `events --stats` JSON shape. */
  ociStats(id: string): ReturnType<typeof ociStats> {
    return ociStats(this.ctx, id);
  }

  events(id: string, signal?: AbortSignal): AsyncIterableIterator<CgroupEvent> {
    return events(this.ctx, id, signal);
  }

  features(): Features {
    return features(capabilityNames((1n << 64n) - 1n));
  }

  /** Records that a holder process serves `start` for a container (see holder.ts). */
  async setHolder(id: string, holder: { pid: number; socket: string }): Promise<void> {
    const stored = this.ctx.store.read(id);
    stored.holder = holder;
    this.ctx.store.write(stored);
  }

  /** Forgets the in-process handle (after a holder took over the container). */
  release(id: string): void {
    this.ctx.handles.delete(id);
  }

  /** The config.json a container was created from. */
  config(id: string): RuntimeSpec {
    return this.ctx.store.read(id).config;
  }

  /** The container's state directory. */
  dir(id: string): string {
    return this.ctx.store.dir(id);
  }
}
