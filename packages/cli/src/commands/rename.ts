import type { Context } from '../context.js';

export default async function rename(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  await client.containerRename(args[0]!, args[1]!);
  return 0;
}
