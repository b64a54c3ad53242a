import type { Context } from '../context.js';
import { forEachName } from '../each.js';

export default async function unpause(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  return forEachName(ctx, args, (id) => client.containerUnpause(id), 'Error response from daemon: ');
}
