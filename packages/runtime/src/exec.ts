// exec: a new process in a running container. The engine joins the init's namespaces (pid and the
// others by the parent thread, user and mount by the child), joins its cgroup, and applies the
// process's own user, capabilities, rlimits, no_new_privs and the container's seccomp filter.
import { closeSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type ContainerProcess,
  compileSeccomp,
  createContainer as engineCreate,
  type InitPlanInput,
  unixConnect,
} from '@berth/native';
import { openCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { RuntimeError, specError } from './errors.js';
import { containerJoins } from './namespaces.js';
import { checkLsm, planProcess } from './process-plan.js';
import { Process } from './spec.js';
import { liveStatus } from './state.js';

export interface ExecOptions {
  /** the process (config.json `process` shape); unset fields come from the container's */
  process: Partial<Process> & { args: string[] };
  consoleSocket?: string;
  /** or an already connected socket fd (stays open; the caller closes it) */
  consoleSocketFd?: number;
  stdio?: [number, number, number];
  preserveFds?: number;
  pidFile?: string;
}

/** The plan of a process joining a running (or created) container: its namespaces, its cgroup, the
 * container's seccomp filter, and the process merged over the container's own. */
export function buildExecPlan(
  ctx: RuntimeContext,
  id: string,
  opts: Pick<ExecOptions, 'process'>,
): { plan: InitPlanInput; proc: Process } {
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
  return { plan, proc };
}

export async function exec(ctx: RuntimeContext, id: string, opts: ExecOptions): Promise<ContainerProcess> {
  const { plan, proc } = buildExecPlan(ctx, id, opts);
  let consoleFd: number | undefined;
  try {
    if (proc.terminal) {
      if (opts.consoleSocketFd !== undefined) plan.consoleSocket = opts.consoleSocketFd;
      else if (opts.consoleSocket) plan.consoleSocket = consoleFd = unixConnect(opts.consoleSocket);
      else throw specError('process.terminal', 'a terminal needs a console socket (--console-socket)');
    }
    if (opts.stdio) plan.stdio = opts.stdio;
    if (opts.preserveFds) plan.preserveFds = opts.preserveFds;
    const child = await engineCreate(plan);
    if (opts.pidFile) {
      const path = resolve(opts.pidFile);
      const tmp = join(dirname(path), `.${process.pid}.pid.tmp`);
      writeFileSync(tmp, String(child.pid));
      renameSync(tmp, path);
    }
    await child.start();
    return child;
  } finally {
    if (consoleFd !== undefined) closeSync(consoleFd);
  }
}
