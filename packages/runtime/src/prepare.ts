// The runtime's half of a container run by a shim: `prepare` does everything `create` does before
// clone (bundle, state "creating", cgroup, plan) and hands back the encoded init plan; the shim
// clones the init from it and fills in stdio (its pipes, or a console socket of its own for a
// terminal). `adopt` then records the init's pid, so state/kill/ps/stats/pause/delete work as for
// a container this process created. `execPlan` is the same for a process exec'd through the shim.
import { resolve } from 'node:path';
import { compileSeccomp, encodePlan, type InitPlanInput } from '@berth/native';
import { type ContainerCgroup, cgroupPathFor, destroyCgroup, openCgroup, setupCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import type { CreateOptions } from './create.js';
import { type DeviceRule, deviceRules } from './devices.js';
import { RuntimeError, specError } from './errors.js';
import type { ExecOptions } from './exec.js';
import { validateId } from './id.js';
import { containerJoins } from './namespaces.js';
import { buildInitPlan, rootfsOf } from './plan.js';
import { procStat } from './proc.js';
import { checkLsm, planProcess } from './process-plan.js';
import { loadBundleSpec, Process } from './spec.js';
import { liveStatus, toState } from './state.js';
import type { StoredState } from './store.js';

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
      const cgroupPath = cgroupPathFor(id, spec.linux?.cgroupsPath);
      const resources = {
        ...spec.linux?.resources,
        devices: deviceRules(spec.linux?.resources?.devices as DeviceRule[] | undefined, spec.linux?.devices),
      };
      const stored: StoredState = {
        ociVersion: spec.ociVersion,
        id,
        bundle,
        rootfs,
        status: 'creating',
        pid: 0,
        pidStartTime: 0,
        created: new Date().toISOString(),
        annotations: spec.annotations ?? {},
        cgroupPath,
        config: spec,
      };
      ctx.store.write(stored);
      cg = await setupCgroup(cgroupPath, resources);
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
  const stored = ctx.store.read(id);
  const status = liveStatus(stored);
  if (status !== 'running' && status !== 'created')
    throw new RuntimeError('EBADSTATE', `cannot exec in a container that is ${status}`, { id, status });
  const parsed = Process.safeParse({ ...stored.config.process, ...opts.process });
  if (!parsed.success)
    throw specError(`process.${parsed.error.issues[0]?.path.join('.')}`, parsed.error.issues[0]!.message);
  const proc = parsed.data;
  checkLsm(proc, undefined);
  const { fields, warnings } = planProcess(proc);
  for (const w of warnings) ctx.warn(w);
  const plan: InitPlanInput = {
    ...fields,
    args: proc.args,
    joinNamespaces: containerJoins(stored),
    cgroupProcs: stored.cgroupPath ? openCgroup(stored.cgroupPath).procsFiles : [],
    setsid: true,
  };
  if (stored.config.linux?.seccomp) {
    const c = compileSeccomp(stored.config.linux.seccomp as Parameters<typeof compileSeccomp>[0]);
    plan.seccomp = new Uint8Array(c.program);
    plan.seccompFlags = c.flags;
  }
  if (opts.preserveFds) plan.preserveFds = opts.preserveFds;
  return shimPlan(plan);
}
