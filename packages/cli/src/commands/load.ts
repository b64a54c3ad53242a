import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { displayProgress } from '../output/progress.js';

export default async function load(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const input = f.str('input');
  if (!input && ctx.io.stdin.isTTY) {
    throw new CliError('requested load from stdin, but stdin is empty', 1);
  }
  const client = await ctx.client();
  const src: Readable = input ? createReadStream(input) : ctx.io.stdin;
  const stream = await client.imageLoad(src, { quiet: f.bool('quiet') || !ctx.io.stdout.isTTY });
  await displayProgress(stream, { out: ctx.io.stdout });
  return 0;
}
