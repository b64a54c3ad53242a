// create: the container's init is cloned and carries out the whole plan (namespaces, cgroup,
// mounts, pivot_root, devices, caps, user ...) and then waits for `start` ("created").
// A failed create leaves nothing behind: no process, cgroup, state directory or pid file.
import { closeSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ContainerProcess, createContainer as engineCreate, unixConnect } from '@berth/native';
import { type ContainerCgroup, cgroupPathFor, destroyCgroup, setupCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { type DeviceRule, deviceRules } from './devices.js';
import { createContainerHookError, runHooks } from './hooks.js';
import { validateId } from './id.js';
import { buildInitPlan, rootfsOf } from './plan.js';
import { procStat } from './proc.js';
import { sendSeccompListener } from './seccomp-listener.js';
import { loadBundleSpec, type RuntimeSpec } from './spec.js';
import { type State, toState } from './state.js';
import type { StoredState } from './store.js';

export interface CreateOptions {
  /** the bundle directory (config.json + rootfs); default: the current directory */
  bundle?: string;
  /** path of a unix socket that receives the pty master (process.terminal) */
  consoleSocket?: string;
  /** or an already connected socket fd (stays open; the caller closes it) */
  consoleSocketFd?: number;
  /** write the init's pid here (atomically) */
  pidFile?: string;
  /** stdin/stdout/stderr for the init (-1: inherit this process's) */
  stdio?: [number, number, number];
  preserveFds?: number;
  noPivot?: boolean;
}

export interface CreateResult {
  state: State;
  process: ContainerProcess;
}

function writePidFile(path: string, pid: number): void {
  const tmp = join(dirname(path), `.${process.pid}.pid.tmp`);
  writeFileSync(tmp, String(pid));
  renameSync(tmp, path);
}

/**
 * The "creating" state of a new container, written before anything is made so that a crash from
 * here on leaves a state `delete` can clean; and the resources its cgroup gets.
 */
export function beginCreate(
  ctx: RuntimeContext,
  id: string,
  spec: RuntimeSpec,
  bundle: string,
  rootfs: string,
): { stored: StoredState & { cgroupPath: string }; resources: unknown } {
  const cgroupPath = cgroupPathFor(id, spec.linux?.cgroupsPath);
  const resources = {
    ...spec.linux?.resources,
    devices: deviceRules(spec.linux?.resources?.devices as DeviceRule[] | undefined, spec.linux?.devices),
  };
  const stored = {
    ociVersion: spec.ociVersion,
    id,
    bundle,
    rootfs,
    status: 'creating' as const,
    pid: 0,
    pidStartTime: 0,
    created: new Date().toISOString(),
    annotations: spec.annotations ?? {},
    cgroupPath,
    config: spec,
  };
  ctx.store.write(stored);
  return { stored, resources };
}

export function create(ctx: RuntimeContext, id: string, opts: CreateOptions = {}): Promise<CreateResult> {
  validateId(id);
  return ctx.store.lock(id, async () => {
    const bundle = resolve(opts.bundle ?? '.');
    const spec = loadBundleSpec(bundle);
    const rootfs = rootfsOf(spec, bundle);
    ctx.store.reserve(id);
    let cg: ContainerCgroup | undefined;
    let proc: ContainerProcess | undefined;
    let consoleFd: number | undefined;
    try {
      const { stored, resources } = beginCreate(ctx, id, spec, bundle, rootfs);
      cg = await setupCgroup(stored.cgroupPath, resources);
      if (opts.consoleSocket) consoleFd = unixConnect(opts.consoleSocket);
      const { plan, warnings } = buildInitPlan(spec, {
        bundle,
        cgroupProcs: cg.procsFiles,
        cgroupSources: cg.sources,
        ...(consoleFd !== undefined || opts.consoleSocketFd !== undefined
          ? { consoleSocket: consoleFd ?? opts.consoleSocketFd! }
          : {}),
        ...(opts.stdio ? { stdio: opts.stdio } : {}),
        ...(opts.preserveFds ? { preserveFds: opts.preserveFds } : {}),
        ...(opts.noPivot ? { noPivot: true } : {}),
        hookState: toState(stored),
      });
      for (const w of warnings) ctx.warn(w);
      // after clone, before the child sets anything up: the runtime environment exists (OCI
      // prestart and createRuntime hooks run here, in the runtime's namespaces)
      const seccomp = spec.linux?.seccomp;
      const listenerPath = typeof seccomp?.listenerPath === 'string' ? seccomp.listenerPath : undefined;
      proc = await engineCreate(plan, {
        ...(listenerPath
          ? {
              onSeccompListener: (fd: number) =>
                sendSeccompListener(
                  listenerPath,
                  typeof seccomp?.listenerMetadata === 'string' ? seccomp.listenerMetadata : undefined,
                  fd,
                  toState(stored),
                ),
            }
          : {}),
        afterClone: async (pid) => {
          stored.pid = pid;
          stored.pidStartTime = procStat(pid)?.startTime ?? 0;
          ctx.store.write(stored);
          const state = { ...toState(stored), status: 'creating' as const, pid };
          await runHooks(spec.hooks, 'prestart', state);
          await runHooks(spec.hooks, 'createRuntime', state);
        },
      });
      stored.status = 'created';
      ctx.store.write(stored);
      if (opts.pidFile) writePidFile(resolve(opts.pidFile), proc.pid);
      ctx.handles.set(id, proc);
      return { state: toState(stored), process: proc };
    } catch (e) {
      if (proc) {
        proc.kill();
        await proc.wait();
      }
      if (cg) await destroyCgroup(cg).catch(() => {});
      ctx.store.remove(id);
      throw createContainerHookError(e) ?? e;
    } finally {
      if (consoleFd !== undefined) closeSync(consoleFd);
    }
  });
}
