import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { inspectObjects } from './inspect.js';

export default async function volumeInspect(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  return inspectObjects(
    ctx,
    args,
    f.str('format'),
    (n) => client.volumeInspectRaw(n),
    (n) => `Error response from daemon: get ${n}: no such volume`,
  );
}
