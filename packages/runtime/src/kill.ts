// kill: a signal to the container's init (through a pidfd checked against the init's start time,
// so a recycled pid is never hit), or with `all` to every process in its cgroup.
import { closeSync } from 'node:fs';
import { constants as C, pidfdOpen, pidfdSendSignal } from '@berth/native';
import { openCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { RuntimeError } from './errors.js';
import { procStat } from './proc.js';
import { parseSignal } from './signals.js';
import { liveStatus } from './state.js';
import type { StoredState } from './store.js';

export interface KillOptions {
  /** every process of the container (runc kill --all) */
  all?: boolean;
}

/** Signals the init if it is still the process that was created; false when it is gone. */
export function signalInit(s: StoredState, signal: number): boolean {
  if (s.pid === 0) return false;
  let fd: number;
  try {
    fd = pidfdOpen(s.pid);
  } catch {
    return false;
  }
  try {
    // checked after the pidfd is open: from here on the pid cannot be recycled under us
    if (procStat(s.pid)?.startTime !== s.pidStartTime) return false;
    pidfdSendSignal(fd, signal);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ESRCH') return false;
    throw e;
  } finally {
    closeSync(fd);
  }
}

export function kill(
  ctx: RuntimeContext,
  id: string,
  signal: string | number = 'SIGTERM',
  opts: KillOptions = {},
): Promise<void> {
  const sig = parseSignal(signal);
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    const status = liveStatus(stored);
    if (opts.all && stored.cgroupPath) {
      const cg = openCgroup(stored.cgroupPath);
      await cg.manager.killAll(sig);
      return;
    }
    if (status === 'stopped' || status === 'creating' || !signalInit(stored, sig))
      throw new RuntimeError('EBADSTATE', `container ${id} is not running`, { id, status });
    // a frozen task only dies once thawed
    if (status === 'paused' && sig === C.SIGKILL && stored.cgroupPath) {
      await openCgroup(stored.cgroupPath).manager.thaw();
      stored.status = 'running';
      ctx.store.write(stored);
    }
  });
}
