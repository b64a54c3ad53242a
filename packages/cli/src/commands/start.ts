import type { Context } from '../context.js';
import { forEachName } from '../each.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { monitorTtySize, proxySignals, pumpStreams } from '../streams.js';

export default async function start(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  if (f.bool('attach') || f.bool('interactive')) {
    if (args.length > 1) throw new CliError('you cannot start and attach multiple containers at once', 1);
    const id = args[0]!;
    const c = await client.containerInspect(id);
    const tty = c.Config?.Tty === true;
    const stdin = f.bool('interactive') && c.Config?.OpenStdin === true;
    const sock = await client.containerAttach(id, {
      stream: true,
      stdin,
      stdout: true,
      stderr: true,
      detachKeys: f.str('detach-keys'),
    });
    const wait = client.containerWait(id, 'next-exit');
    await Promise.race([wait.started, new Promise((r) => setTimeout(r, 3000).unref())]);
    wait.result.catch(() => undefined);
    await client.containerStart(id);
    const stopResize = tty
      ? monitorTtySize(ctx, (h, w) => client.containerResize(id, h, w))
      : () => undefined;
    const stopSignals = tty ? () => undefined : proxySignals(ctx, (s) => client.containerKill(id, s));
    try {
      await pumpStreams(ctx, { sock, tty, stdin });
      return (await wait.result).StatusCode;
    } finally {
      stopResize();
      stopSignals();
    }
  }
  return forEachName(
    ctx,
    args,
    (id) => client.containerStart(id),
    'Error response from daemon: ',
    'failed to start containers',
  );
}
