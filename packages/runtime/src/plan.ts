// config.json -> @berth/native's InitPlan: a pure function of the spec, the bundle and the host
// facts it is given (cgroup files, console socket fd), so it can be tested without a kernel.
import { isAbsolute, join } from 'node:path';
import { namespacePlan } from '@berth/namespaces';
import { constants as C, compileSeccomp, type InitPlanInput } from '@berth/native';
import { planDevices, planSymlinks } from './devices.js';
import { specError } from './errors.js';
import { PROPAGATION } from './mount-options.js';
import { type CgroupMountSource, planMounts } from './mounts.js';
import { checkLsm, planPersonality, planProcess } from './process-plan.js';
import type { Process, RuntimeSpec } from './spec.js';
import type { State } from './state.js';

export interface PlanOptions {
  /** absolute bundle directory (relative root.path and bind sources resolve against it) */
  bundle: string;
  /** the process to run; defaults to spec.process (exec passes its own) */
  process?: Process;
  /** cgroup.procs files the engine joins the child to */
  cgroupProcs?: string[];
  /** the container's v1 cgroup directories, for `cgroup` mounts */
  cgroupSources?: readonly CgroupMountSource[];
  /** connected socket fd: the child sends its pty master over it (process.terminal) */
  consoleSocket?: number;
  /** stdin/stdout/stderr fds for the child (-1 keeps the inherited one) */
  stdio?: [number, number, number];
  /** extra fds past stdio that stay open (LISTEN_FDS style), as runc --preserve-fds */
  preserveFds?: number;
  /** MS_MOVE + chroot instead of pivot_root (rootfs on a ramdisk) */
  noPivot?: boolean;
  /** the state createContainer hooks get on stdin (the child fills in its pid); needed when the
   * spec has such hooks */
  hookState?: Omit<State, 'pid'>;
}

export interface PlanResult {
  plan: InitPlanInput;
  /** absolute rootfs path */
  rootfs: string;
  /** things the spec asked for that were ignored (unknown capability names ...) */
  warnings: string[];
}

export function rootfsOf(spec: RuntimeSpec, bundle: string): string {
  if (!spec.root) throw specError('root', 'a container needs root.path');
  return isAbsolute(spec.root.path) ? spec.root.path : join(bundle, spec.root.path);
}

/** Builds the init plan of a container's first process. */
export function buildInitPlan(spec: RuntimeSpec, opts: PlanOptions): PlanResult {
  const process = opts.process ?? spec.process;
  if (!process) throw specError('process', 'a container needs a process');
  checkLsm(process, spec.linux);
  const rootfs = rootfsOf(spec, opts.bundle);
  const ns = namespacePlan(spec);
  const has = (flag: number) => (ns.cloneFlags & flag) !== 0;
  const joins = (flag: number) => ns.joinNamespaces.some((j) => j.nstype === flag);
  if (!has(C.CLONE_NEWNS)) throw specError('linux.namespaces', 'a container needs a new mount namespace');
  if ((spec.hostname || spec.domainname) && !has(C.CLONE_NEWUTS))
    throw specError(spec.hostname ? 'hostname' : 'domainname', 'setting it needs a new uts namespace');

  const mounts = planMounts(spec.mounts, {
    bundle: opts.bundle,
    rootfs,
    // a namespace joined by path is the container's own as much as a new one (runc: "contains")
    netNamespace: has(C.CLONE_NEWNET) || joins(C.CLONE_NEWNET),
    ipcNamespace: has(C.CLONE_NEWIPC) || joins(C.CLONE_NEWIPC),
    ...(opts.cgroupSources ? { cgroupSources: opts.cgroupSources } : {}),
    userNamespace: has(C.CLONE_NEWUSER) || joins(C.CLONE_NEWUSER),
  });
  const userNamespace = has(C.CLONE_NEWUSER);
  const proc = planProcess(process);
  const plan: InitPlanInput = {
    ...proc.fields,
    args: process.args,
    cloneFlags: ns.cloneFlags,
    joinNamespaces: ns.joinNamespaces,
    setgroupsDeny: ns.setgroupsDeny,
    cgroupProcs: opts.cgroupProcs ?? [],
    rootfs,
    rootReadonly: spec.root?.readonly ?? false,
    noPivot: opts.noPivot ?? false,
    mounts: mounts.mounts,
    devices: planDevices(spec.linux?.devices, { rootfs, userNamespace }),
    symlinks: [...planSymlinks(rootfs, spec.linux?.devices), ...mounts.symlinks],
    maskedPaths: spec.linux?.maskedPaths ?? [],
    readonlyPaths: spec.linux?.readonlyPaths ?? [],
    sysctls: Object.entries(spec.linux?.sysctl ?? {}).map(([k, value]) => ({
      path: `/proc/sys/${k.replace(/\./g, '/')}`,
      value,
    })),
    setsid: true,
  };
  // a network namespace of its own (no path): lo up before the process runs, as runc's "loopback"
  // network does for such a spec; Docker's none is exactly this
  if (has(C.CLONE_NEWNET)) plan.loopbackUp = true;
  if (ns.uidMap !== undefined) plan.uidMap = ns.uidMap;
  if (ns.gidMap !== undefined) plan.gidMap = ns.gidMap;
  if (ns.timeOffsets) plan.timeOffsets = ns.timeOffsets;
  if (spec.hostname !== undefined) plan.hostname = spec.hostname;
  if (spec.domainname !== undefined) plan.domainname = spec.domainname;
  const propagation = spec.linux?.rootfsPropagation;
  if (propagation) {
    const p = PROPAGATION[propagation];
    if (p === undefined)
      throw specError('linux.rootfsPropagation', `unknown propagation ${JSON.stringify(propagation)}`);
    plan.rootfsPropagation = p;
  }
  const personality = planPersonality(spec.linux?.personality);
  if (personality !== undefined) plan.personality = personality;
  if (spec.linux?.seccomp) {
    const compiled = compileSeccomp(spec.linux.seccomp as Parameters<typeof compileSeccomp>[0]);
    // copied: InitPlan.seccomp is typed Uint8Array<ArrayBuffer>, compileSeccomp returns a Buffer
    plan.seccomp = new Uint8Array(compiled.program);
    plan.seccompFlags = compiled.flags;
    // a listenerPath asks for a notify listener; exec'd processes share the container's filter
    if (typeof spec.linux.seccomp.listenerPath === 'string' && !opts.process) plan.seccompListener = true;
  }
  if (process.terminal) {
    if (opts.consoleSocket === undefined)
      throw specError('process.terminal', 'a terminal needs a console socket (--console-socket)');
    plan.consoleSocket = opts.consoleSocket;
  }
  if (opts.stdio) plan.stdio = opts.stdio;
  if (opts.preserveFds) plan.preserveFds = opts.preserveFds;
  const hooks = opts.process ? [] : (spec.hooks?.createContainer ?? []);
  if (hooks.length > 0) plan.createContainerHooks = planCreateContainerHooks(hooks, opts.hookState);
  return { plan, rootfs, warnings: proc.warnings };
}

/**
 * The state a hook gets on stdin with status `creating`, split around its pid: the engine writes head, the
 * pid it knows (the init's, as the hook's namespace sees it), then tail.
 */
export function hookStateAroundPid(state: Omit<State, 'pid'>): { stateHead: string; stateTail: string } {
  const marker = '"pid":4294967296'; // a pid no kernel gives
  const json = JSON.stringify({ ...state, status: 'creating', pid: 4294967296 });
  const at = json.indexOf(marker);
  return { stateHead: `${json.slice(0, at)}"pid":`, stateTail: json.slice(at + marker.length) };
}

/** createContainer hooks for the engine: it runs them after the mounts, before pivot_root, in the
 * container's namespaces (runtime spec), with the state on stdin and its own pid in it. */
function planCreateContainerHooks(
  hooks: NonNullable<NonNullable<RuntimeSpec['hooks']>['createContainer']>,
  state: Omit<State, 'pid'> | undefined,
): NonNullable<InitPlanInput['createContainerHooks']> {
  if (!state) throw specError('hooks.createContainer', 'running these hooks needs the container state');
  const around = hookStateAroundPid(state);
  return hooks.map((h) => planHook(h, around));
}

/** A spec hook as the engine runs it: argv defaults to the path alone, no timeout is 0. */
export function planHook(
  h: { path: string; args?: string[] | undefined; env?: string[] | undefined; timeout?: number | undefined },
  around: { stateHead: string; stateTail: string },
): { path: string; args: string[]; env: string[]; timeout: number; stateHead: string; stateTail: string } {
  return {
    path: h.path,
    args: h.args?.length ? h.args : [h.path],
    env: h.env ?? [],
    timeout: h.timeout ?? 0,
    ...around,
  };
}
