import type { Context } from '../context.js';
import { tabwrite } from '../output/table.js';

export default async function top(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  const [id, ...psArgs] = args;
  const r = await client.containerTop(id!, psArgs.length ? psArgs.join(' ') : undefined);
  const lines = [(r.Titles ?? []).join('\t'), ...(r.Processes ?? []).map((p) => p.join('\t'))];
  ctx.io.stdout.write(tabwrite(`${lines.join('\n')}\n`, { minWidth: 20, padding: 3 }));
  return 0;
}
