// OCI hooks: each runs with the container's state on stdin, in order, with its own argv0 and env,
// killed after `timeout` seconds. A failing hook fails the lifecycle step it belongs to (create,
// start); poststart/poststop failures are reported and the rest still run (runtime spec).
import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import { ContainerInitError, createContainer as engineCreate, socketpair } from '@berth/native';
import { RuntimeError } from './errors.js';
import type { Hook, Hooks } from './spec.js';
import type { State } from './state.js';

export type HookKind = keyof Hooks;

function hookError(kind: HookKind, i: number, hook: Hook, why: string): RuntimeError {
  return new RuntimeError('EHOOK', `${kind} hook ${i} (${hook.path}) ${why}`, {
    path: hook.path,
    where: `hooks.${kind}[${i}]`,
  });
}

/** Runs one hook in the runtime's namespaces. */
function runHostHook(kind: HookKind, i: number, hook: Hook, state: State): Promise<void> {
  return new Promise((resolve, reject) => {
    const [argv0, ...rest] = hook.args ?? [hook.path];
    const child = spawn(hook.path, rest, {
      argv0: argv0 ?? hook.path,
      env: Object.fromEntries(
        (hook.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      ),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    let timer: NodeJS.Timeout | undefined;
    if (hook.timeout)
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(hookError(kind, i, hook, `timed out after ${hook.timeout}s`));
      }, hook.timeout * 1000);
    child.stdin.on('error', () => {}); // a hook need not read its stdin
    child.stdin.end(JSON.stringify(state));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(hookError(kind, i, hook, `could not start: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          hookError(
            kind,
            i,
            hook,
            `failed (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`,
          ),
        );
    });
  });
}

/**
 * Runs one hook inside the container's namespaces (startContainer): the engine joins the init's
 * namespaces, so `path` resolves in the container's mount namespace.
 */
async function runContainerHook(
  kind: HookKind,
  i: number,
  hook: Hook,
  state: State,
  joins: { nstype: number; path: string }[],
): Promise<void> {
  const [mine, theirs] = socketpair();
  try {
    writeSync(mine, JSON.stringify(state));
  } finally {
    closeSync(mine);
  }
  let proc: Awaited<ReturnType<typeof engineCreate>>;
  try {
    proc = await engineCreate({
      joinNamespaces: joins,
      args: [hook.path, ...(hook.args ?? [hook.path]).slice(1)],
      env: hook.env ?? [],
      stdio: [theirs, -1, -1],
    });
  } catch (e) {
    throw hookError(kind, i, hook, `could not start: ${(e as Error).message}`);
  } finally {
    closeSync(theirs);
  }
  let timer: NodeJS.Timeout | undefined;
  if (hook.timeout) timer = setTimeout(() => proc.kill(), hook.timeout * 1000);
  try {
    await proc.start();
  } catch (e) {
    clearTimeout(timer);
    throw hookError(kind, i, hook, `could not start: ${(e as Error).message}`);
  }
  const st = await proc.wait();
  clearTimeout(timer);
  if (st.exitCode !== 0)
    throw hookError(kind, i, hook, `failed (${st.signal ? `signal ${st.signal}` : `exit ${st.exitCode}`})`);
}

export interface RunHooksOptions {
  /** namespaces of the container, for hooks that run inside it */
  joins?: { nstype: number; path: string }[];
  /** report failures and go on (poststart, poststop) instead of throwing */
  warn?: (message: string) => void;
}

/** Runs the hooks of one kind in order. */
export async function runHooks(
  hooks: Hooks | undefined,
  kind: HookKind,
  state: State,
  opts: RunHooksOptions = {},
): Promise<void> {
  const list = hooks?.[kind] ?? [];
  for (const [i, hook] of list.entries()) {
    try {
      if (kind === 'startContainer' && opts.joins) await runContainerHook(kind, i, hook, state, opts.joins);
      else await runHostHook(kind, i, hook, state);
    } catch (e) {
      if (!opts.warn) throw e;
      opts.warn((e as Error).message);
    }
  }
}

/** The engine runs createContainer hooks itself (before pivot_root); its report of a failed one
 * becomes the same EHOOK error the other hook kinds give. */
export function createContainerHookError(e: unknown): RuntimeError | undefined {
  if (!(e instanceof ContainerInitError) || e.step !== 'create-container-hook') return undefined;
  const why = e.path ?? 'failed';
  const path = why.split(': ')[0] ?? why;
  return new RuntimeError('EHOOK', `createContainer hook ${why}`, { path, where: 'hooks.createContainer' });
}
