import type { Context } from '../context.js';
import { splitRef } from '../image-ref.js';

export default async function tag(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  const target = splitRef(args[1]!);
  await client.imageTag(args[0]!, target.name, target.tag ?? 'latest');
  return 0;
}
