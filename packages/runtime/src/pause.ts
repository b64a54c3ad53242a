// pause/resume: the freezer of the container's cgroup.
import { openCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { RuntimeError } from './errors.js';
import { liveStatus } from './state.js';

export function pause(ctx: RuntimeContext, id: string): Promise<void> {
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    const status = liveStatus(stored);
    if (status !== 'running')
      throw new RuntimeError('EBADSTATE', `cannot pause a container that is ${status}`, { id, status });
    if (!stored.cgroupPath) throw new RuntimeError('EUNSUPPORTED', `container ${id} has no cgroup`, { id });
    await openCgroup(stored.cgroupPath).manager.freeze();
    stored.status = 'paused';
    ctx.store.write(stored);
  });
}

export function resume(ctx: RuntimeContext, id: string): Promise<void> {
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    const status = liveStatus(stored);
    if (status !== 'paused')
      throw new RuntimeError('EBADSTATE', `cannot resume a container that is ${status}`, { id, status });
    await openCgroup(stored.cgroupPath!).manager.thaw();
    stored.status = 'running';
    ctx.store.write(stored);
  });
}
