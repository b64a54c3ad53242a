// The runtime's half of a container run by a shim: `prepare` does everything `create` does before
// clone (bundle, state "creating", cgroup, plan) and hands back the encoded init plan; the shim
// clones the init from it and fills in stdio (its pipes, or a console socket of its own for a
// terminal). `adopt` then records the init's pid, so state/kill/ps/stats/pause/delete work as for
// a container this process created. `execPlan` is the same for a process exec'd through the shim.
//
// OCI hooks: the plan carries the prestart and createRuntime hooks, which the engine inside the shim
// runs where `create` runs them (after clone, before the child sets anything up, in the runtime's
// namespaces, with the state and the init's host pid on stdin; a failure ends the create), and the
// createContainer hooks, run by the child. `beforeStart` runs the startContainer hooks in the
// container's namespaces before the shim is asked to start; poststart runs when `adopt` records
// the start; poststop runs in `delete`, as for any container.
import { resolve } from 'node:path';
import { encodePlan, type InitPlanInput, type PlanRuntimeHook } from '@berth/native';
import { type ContainerCgroup, destroyCgroup, setupCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { beginCreate, type CreateOptions } from './create.js';
import { RuntimeError } from './errors.js';
import { buildExecPlan, type ExecOptions } from './exec.js';
import { runHooks } from './hooks.js';
import { validateId } from './id.js';
import { containerJoins } from './namespaces.js';
import { buildInitPlan, hookStateAroundPid, planHook, rootfsOf } from './plan.js';
import { procStat } from './proc.js';
import { loadBundleSpec, type RuntimeSpec } from './spec.js';
import { type State, toState } from './state.js';

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

/**
 * prestart then createRuntime hooks for the engine's parent (the shim), with the state they get
 * split around its pid, which the engine fills in with the init's host pid.
 */
function runtimeHooks(spec: RuntimeSpec, state: State): PlanRuntimeHook[] {
  const around = hookStateAroundPid(state);
  const out: PlanRuntimeHook[] = [];
  for (const kind of ['prestart', 'createRuntime'] as const)
    for (const [index, h] of (spec.hooks?.[kind] ?? []).entries())
      out.push({ kind, index, ...planHook(h, around) });
  return out;
}

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
      const hooks = runtimeHooks(spec, toState(stored));
      if (hooks.length > 0) plan.runtimeHooks = hooks;
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
    const started = stored.status !== 'running' && opts.status === 'running';
    stored.status = opts.status ?? 'created';
    ctx.store.write(stored);
    // the shim has started it: poststart, as `start` runs them (failures are reported, not fatal)
    if (started) await runHooks(stored.config.hooks, 'poststart', toState(stored), { warn: ctx.warn });
  });
}

/**
 * What `start` does before it lets the init exec, for a container a shim holds: the startContainer
 * hooks, in the container's namespaces, with the state on stdin; a failing one fails the start.
 */
export function beforeStart(ctx: RuntimeContext, id: string): Promise<void> {
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    if (stored.status !== 'created')
      throw new RuntimeError('EBADSTATE', `cannot start a container that is ${stored.status}`, {
        id,
        status: stored.status,
      });
    await runHooks(stored.config.hooks, 'startContainer', toState(stored), { joins: containerJoins(stored) });
  });
}

export function execPlan(ctx: RuntimeContext, id: string, opts: ExecOptions): Buffer {
  const { plan } = buildExecPlan(ctx, id, opts);
  if (opts.preserveFds) plan.preserveFds = opts.preserveFds;
  return shimPlan(plan);
}
