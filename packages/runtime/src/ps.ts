// ps / update / events: what the container's cgroup knows.
import { type CgroupEvent, type CgroupStats, type LinuxResources, toOciEventStats } from '@berth/cgroups';
import { openCgroup } from './cgroup.js';
import type { RuntimeContext } from './context.js';
import { RuntimeError } from './errors.js';
import { liveStatus } from './state.js';

function cgroupOf(ctx: RuntimeContext, id: string) {
  const stored = ctx.store.read(id);
  if (!stored.cgroupPath) throw new RuntimeError('EUNSUPPORTED', `container ${id} has no cgroup`, { id });
  return { stored, cg: openCgroup(stored.cgroupPath) };
}

/** Pids of every process in the container. */
export function ps(ctx: RuntimeContext, id: string): number[] {
  return cgroupOf(ctx, id).cg.manager.pids();
}

/** Applies new resources (runc update): only the fields that are set. */
export function update(ctx: RuntimeContext, id: string, resources: LinuxResources): Promise<void> {
  return ctx.store.lock(id, async () => {
    const { stored, cg } = cgroupOf(ctx, id);
    const status = liveStatus(stored);
    if (status === 'stopped')
      throw new RuntimeError('EBADSTATE', `container ${id} is stopped`, { id, status });
    cg.manager.apply(resources);
  });
}

export function stats(ctx: RuntimeContext, id: string): CgroupStats {
  return cgroupOf(ctx, id).cg.manager.stats();
}

/** Stats in runc's `events --stats` shape (its types.Stats). */
export function ociStats(ctx: RuntimeContext, id: string): ReturnType<typeof toOciEventStats> {
  return toOciEventStats(stats(ctx, id));
}

/** OOM and pids-limit events until the container's cgroup goes away or `signal` aborts. */
export function events(
  ctx: RuntimeContext,
  id: string,
  signal?: AbortSignal,
): AsyncIterableIterator<CgroupEvent> {
  return cgroupOf(ctx, id).cg.manager.events(signal ? { signal } : {});
}
