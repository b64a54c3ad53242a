import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';

export default async function save(ctx: Context, args: string[], f: Flags): Promise<number> {
  const output = f.str('output');
  if (!output && ctx.io.stdout.isTTY) {
    throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  }
  const client = await ctx.client();
  const stream = await client.imageSave(args);
  if (output) await pipeline(stream, createWriteStream(output));
  else await pipeline(stream, ctx.io.stdout, { end: false });
  return 0;
}
