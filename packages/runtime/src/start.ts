// start: the created init runs the user's process (startContainer hooks first, poststart after).
import type { RuntimeContext } from './context.js';
import { RuntimeError } from './errors.js';
import { requestStart } from './holder.js';
import { runHooks } from './hooks.js';
import { containerJoins } from './namespaces.js';
import { liveStatus, toState } from './state.js';

export function start(ctx: RuntimeContext, id: string): Promise<void> {
  return ctx.store.lock(id, async () => {
    const stored = ctx.store.read(id);
    const status = liveStatus(stored);
    if (status !== 'created')
      throw new RuntimeError('EBADSTATE', `cannot start a container that is ${status}`, { id, status });
    const hooks = stored.config.hooks;
    await runHooks(hooks, 'startContainer', toState(stored), { joins: containerJoins(stored) });
    const handle = ctx.handles.get(id);
    if (handle) await handle.start();
    else if (stored.holder) await requestStart(stored.holder.socket, id);
    else
      throw new RuntimeError(
        'EBADSTATE',
        `container ${id} was created by a process that no longer holds it`,
        { id },
      );
    stored.status = 'running';
    delete stored.holder;
    ctx.store.write(stored);
    await runHooks(hooks, 'poststart', toState(stored), { warn: ctx.warn });
  });
}
