// The runtime's half of a container run by a shim: `prepare` does everything `create` does before
// clone (bundle, state "creating", cgroup, plan) and hands back the encoded init plan; the shim
// clones the init from it and fills in stdio (its pipes, or a console socket of its own for a
// terminal). `adopt` then records the init's pid, so state/kill/ps/stats/pause/delete work as for
// a container this process created. `execPlan` is the same for a process exec'd through the shim.
import { resolve } from 'node:path';
import { encodePlan, type InitPlanInput } from '@berth/native';
import { type ContainerCgroup, destroyCgroup, setupCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { beginCreate, type CreateOptions } from './create.js';
import { RuntimeError } from './errors.js';
import { buildExecPlan, type ExecOptions } from './exec.js';
import { validateId } from './id.js';
import { buildInitPlan, rootfsOf } from './plan.js';
import { procStat } from './proc.js';
import { loadBundleSpec } from './spec.js';
import { toState } from './state.js';

export interface PrepareResult {
  /** the init plan in the engine's wire format, without stdio or console socket */
  plan: Buffer;
}

export interface AdoptOptions {
  /** the init's pid (the shim's report) */
  pid: number;
  /** 'created' (default) right after the shim made it, 'running' after its start */
  status?: 'created' | 'running';
}

/** Stand-in for the console socket the shim supplies: removed from the plan before encoding. */
const SHIM_CONSOLE = 0;

function shimPlan(plan: InitPlanInput): Buffer {
  const p = { ...plan };
  delete p.consoleSocket;
  delete p.stdio;
  return encodePlan(p);
}

export function prepare(ctx: RuntimeContext, id: string, opts: CreateOptions = {}): Promise<PrepareResult> {
  validateId(id);
  return ctx.store.lock(id, async () => {
    const bundle = resolve(opts.bundle ?? '.');
    const spec = loadBundleSpec(bundle);
    const rootfs = rootfsOf(spec, bundle);
    ctx.store.reserve(id);
    let cg: ContainerCgroup | undefined;
    try {
      const { stored, resources } = beginCreate(ctx, id, spec, bundle, rootfs);
      cg = await setupCgroup(stored.cgroupPath, resources);
      const { plan, warnings } = buildInitPlan(spec, {
        bundle,
        cgroupProcs: cg.procsFiles,
        cgroupSources: cg.sources,
        ...(spec.process?.terminal ? { consoleSocket: SHIM_CONSOLE } : {}),
        ...(opts.preserveFds ? { preserveFds: opts.preserveFds } : {}),
        ...(opts.noPivot ? { noPivot: true } : {}),
        // createContainer hooks travel in the plan: the engine inside the shim runs them
        hookState: toState(stored),
      });
      for (const w of warnings) ctx.warn(w);
      const hooks = spec.hooks;
      if (hooks?.prestart?.length || hooks?.createRuntime?.length)
        ctx.warn('prestart/createRuntime hooks are not run for a container made by a shim');
      return { plan: shimPlan(plan) };
    } catch (e) {
      if (cg) await destroyCgroup(cg).catch(() => {});
      ctx.store.remove(id);
      throw e;
    }
  });
}

export function adopt(ctx: RuntimeContext, id: string, opts: AdoptOptions): Promise<void> {
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    if (stored.status !== 'creating' && stored.status !== 'created' && stored.status !== 'running')
      throw new RuntimeError('EBADSTATE', `cannot adopt a container that is ${stored.status}`, {
        id,
        status: stored.status,
      });
    if (stored.pid !== 0 && stored.pid !== opts.pid)
      throw new RuntimeError('EBADSTATE', `container ${id} already has init ${stored.pid}`, { id });
    const st = procStat(opts.pid);
    if (!st || st.state === 'Z')
      throw new RuntimeError('EBADSTATE', `container ${id}: process ${opts.pid} does not exist`, { id });
    if (stored.pid === 0) {
      stored.pid = opts.pid;
      stored.pidStartTime = st.startTime;
    }
    stored.status = opts.status ?? 'created';
    ctx.store.write(stored);
  });
}

export function execPlan(ctx: RuntimeContext, id: string, opts: ExecOptions): Buffer {
  const { plan } = buildExecPlan(ctx, id, opts);
  if (opts.preserveFds) plan.preserveFds = opts.preserveFds;
  return shimPlan(plan);
}
