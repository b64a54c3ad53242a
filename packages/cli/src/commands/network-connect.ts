import type { Context } from '../context.js';
import type { Flags } from '../flags.js';

export default async function networkConnect(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const ip = f.str('ip');
  const aliases = f.list('alias');
  const endpoint: Record<string, unknown> = {};
  if (aliases.length) endpoint.Aliases = aliases;
  if (ip) endpoint.IPAMConfig = { IPv4Address: ip };
  await client.networkConnect(args[0]!, args[1]!, Object.keys(endpoint).length ? endpoint : undefined);
  return 0;
}
