import type { Context } from '../context.js';
import { forEachName } from '../each.js';
import type { Flags } from '../flags.js';

export default async function stop(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  return forEachName(
    ctx,
    args,
    (id) => client.containerStop(id, { t: f.int('timeout') ?? f.int('time'), signal: f.str('signal') }),
    'Error response from daemon: ',
  );
}
