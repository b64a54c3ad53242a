import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { splitRef } from '../image-ref.js';
import { displayProgress } from '../output/progress.js';

export default async function importCmd(ctx: Context, args: string[], f: Flags): Promise<number> {
  const [source, ref] = args;
  const client = await ctx.client();
  let src: Readable;
  if (source === '-') src = ctx.io.stdin;
  else if (/^https?:\/\//.test(source!)) {
    const res = await fetch(source!);
    if (!res.ok || !res.body) throw new Error(`${source}: ${res.status} ${res.statusText}`);
    src = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  } else src = createReadStream(source!);
  const r = ref ? splitRef(ref) : undefined;
  const stream = await client.imageImport(src, {
    repo: r?.name,
    tag: r?.tag,
    changes: f.list('change'),
    message: f.str('message'),
    platform: f.str('platform'),
  });
  await displayProgress(stream, { out: ctx.io.stdout });
  return 0;
}
