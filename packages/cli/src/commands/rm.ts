import type { Context } from '../context.js';
import { forEachName } from '../each.js';
import type { Flags } from '../flags.js';

export default async function rm(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  return forEachName(
    ctx,
    args,
    (id) =>
      client.containerRemove(id, { force: f.bool('force'), v: f.bool('volumes'), link: f.bool('link') }),
    'Error response from daemon: ',
  );
}
