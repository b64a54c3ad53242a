import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseLabels } from '../opts/env.js';

export default async function volumeCreate(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const v = await client.volumeCreate({
    Name: args[0],
    Driver: f.str('driver'),
    DriverOpts: parseLabels(f.list('opt')),
    Labels: parseLabels(f.list('label')),
  });
  ctx.io.stdout.write(`${v.Name}\n`);
  return 0;
}
