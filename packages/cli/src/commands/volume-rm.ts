import type { Context } from '../context.js';
import { forEachName } from '../each.js';
import type { Flags } from '../flags.js';

export default async function volumeRm(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  return forEachName(
    ctx,
    args,
    (n) => client.volumeRemove(n, { force: f.bool('force') }),
    'Error response from daemon: ',
  );
}
