import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { splitRef } from '../image-ref.js';
import { displayProgress } from '../output/progress.js';

export default async function push(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const r = splitRef(args[0]!);
  if (r.tag === undefined && !f.bool('all-tags')) ctx.io.stdout.write('Using default tag: latest\n');
  const stream = await client.imagePush(r.name, {
    tag: f.bool('all-tags') ? undefined : (r.tag ?? 'latest'),
  });
  const quietOut = { write: () => true, isTTY: false } as never;
  await displayProgress(stream, { out: f.bool('quiet') ? quietOut : ctx.io.stdout });
  if (f.bool('quiet')) ctx.io.stdout.write(`${args[0]}\n`);
  return 0;
}
