import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseLabels } from '../opts/env.js';

export default async function networkCreate(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const subnets = f.list('subnet');
  const gateways = f.list('gateway');
  const ranges = f.list('ip-range');
  const config = subnets.map((s, i) => ({ Subnet: s, Gateway: gateways[i], IPRange: ranges[i] }));
  const r = await client.networkCreate({
    Name: args[0],
    Driver: f.str('driver'),
    Internal: f.bool('internal'),
    Attachable: f.bool('attachable'),
    Options: parseLabels(f.list('opt')),
    Labels: parseLabels(f.list('label')),
    IPAM: config.length ? { Driver: 'default', Config: JSON.parse(JSON.stringify(config)) } : undefined,
  });
  ctx.io.stdout.write(`${r.Id}\n`);
  return 0;
}
