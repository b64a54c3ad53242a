import type { Context } from '../context.js';
import type { Flags } from '../flags.js';

export default async function networkDisconnect(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  await client.networkDisconnect(args[0]!, args[1]!, f.bool('force'));
  return 0;
}
