// delete: the container's resources go away: its processes (with force, or a never-started init),
// its cgroup, its state directory; then the poststop hooks run. Mounts live in the container's
// mount namespace and go with its last process.
import { constants as C } from '@berth/native';
import { destroyCgroup, openCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { RuntimeError } from './errors.js';
import { runHooks } from './hooks.js';
import { signalInit } from './kill.js';
import { isAlive } from './proc.js';
import { liveStatus, toState } from './state.js';
import type { StoredState } from './store.js';

export interface DeleteOptions {
  /** kill a running or paused container first (runc delete --force) */
  force?: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits for the init to be gone. Its parent may be another process (a holder, a shim), so this
 * polls /proc rather than waiting on it; it is dying from SIGKILL, which is quick.
 */
async function waitGone(ctx: RuntimeContext, s: StoredState): Promise<void> {
  const handle = ctx.handles.get(s.id);
  if (handle) {
    await handle.wait();
    return;
  }
  for (let delay = 1; isAlive(s.pid, s.pidStartTime); delay = Math.min(delay * 2, 20)) await sleep(delay);
}

export function deleteContainer(ctx: RuntimeContext, id: string, opts: DeleteOptions = {}): Promise<void> {
  return ctx.store.lock(id, async () => {
    let stored: StoredState;
    try {
      stored = ctx.store.read(id);
    } catch (e) {
      // a directory without state.json: a create that crashed before its first write made nothing else
      if ((e as { code?: string }).code === 'ENOTFOUND' && ctx.store.hasDir(id)) {
        ctx.store.remove(id);
        return;
      }
      throw e;
    }
    const status = liveStatus(stored);
    if ((status === 'running' || status === 'paused') && !opts.force)
      throw new RuntimeError('EBADSTATE', `cannot delete container ${id} that is not stopped: ${status}`, {
        id,
        status,
      });
    const cg = stored.cgroupPath ? openCgroup(stored.cgroupPath) : undefined;
    if (status !== 'stopped') {
      signalInit(stored, C.SIGKILL);
      if (cg) await cg.manager.killAll(C.SIGKILL);
      await waitGone(ctx, stored);
    } else if (cg && cg.manager.pids().length > 0) {
      // the init is gone but some of its processes are not (they would keep the cgroup busy)
      await cg.manager.killAll(C.SIGKILL);
    }
    const handle = ctx.handles.get(id);
    if (handle) {
      if (handle.state !== 'stopped') await handle.wait();
      ctx.handles.delete(id);
    }
    if (cg) await destroyCgroup(cg);
    ctx.store.remove(id);
    await runHooks(
      stored.config.hooks,
      'poststop',
      { ...toState(stored), status: 'stopped', pid: 0 },
      { warn: ctx.warn },
    );
  });
}
