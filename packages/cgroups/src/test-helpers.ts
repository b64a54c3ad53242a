// Helpers for this package's tests only (not exported from index.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

export const BUSYBOX = '/bin/busybox';

export function uniqueName(tag: string): string {
  return `berth-test-${tag}-${randomBytes(4).toString('hex')}`;
}

/**
 * Starts `busybox sh -c script` held at a `read` on stdin, so the caller can move it into a cgroup before
 * it does anything; `go()` releases it. The script runs with `exec`, keeping the pid the caller moved.
 */
export function spawnHeld(
  script: string,
  output: 'ignore' | 'pipe' = 'ignore',
): { child: ChildProcess; pid: number; go: () => void } {
  const child = spawn(
    BUSYBOX,
    ['sh', '-c', `read _ && exec ${BUSYBOX} sh -c '${script.replace(/'/g, `'\\''`)}'`],
    {
      stdio: ['pipe', output, 'ignore'],
    },
  );
  if (child.pid === undefined) throw new Error('spawn failed');
  return {
    child,
    pid: child.pid,
    go: () => {
      child.stdin?.end('\n');
    },
  };
}

export async function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

/** Re-checks `cond` with a growing back-off until it holds (no timing assertion: the test timeout bounds it). */
export async function eventually(cond: () => boolean, what: string, attempts = 200): Promise<void> {
  let delay = 5;
  for (let i = 0; i < attempts; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
