import type { Context } from '../context.js';
import { forEachName } from '../each.js';

export default async function pause(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  return forEachName(ctx, args, (id) => client.containerPause(id), 'Error response from daemon: ');
}
