import { copyRaw, demultiplex } from '@berth/api';
import type { Context } from '../context.js';
import type { Flags } from '../flags.js';

export default async function logs(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const id = args[0]!;
  const c = await client.containerInspect(id);
  const stream = await client.containerLogs(id, {
    follow: f.bool('follow'),
    since: f.str('since'),
    until: f.str('until'),
    timestamps: f.bool('timestamps'),
    tail: f.str('tail'),
  });
  if (c.Config?.Tty) await copyRaw(stream, ctx.io.stdout);
  else await demultiplex(stream, ctx.io.stdout, ctx.io.stderr);
  return 0;
}
