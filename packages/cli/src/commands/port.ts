import type { Context } from '../context.js';
import { CliError } from '../errors.js';

export default async function port(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  const c = await client.containerInspect(args[0]!);
  const ports = c.NetworkSettings?.Ports ?? {};
  const fmt = (b: { HostIp: string; HostPort: string }) =>
    `${b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0'}:${b.HostPort}`;
  if (args[1]) {
    const [p, proto = 'tcp'] = args[1].split('/');
    const key = `${p}/${proto}`;
    const bindings = ports[key];
    if (!bindings?.length)
      throw new CliError(`Error: No public port '${args[1]}' published for ${args[0]}`, 1);
    for (const b of bindings) ctx.io.stdout.write(`${fmt(b)}\n`);
    return 0;
  }
  const keys = Object.keys(ports).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
  for (const k of keys) for (const b of ports[k] ?? []) ctx.io.stdout.write(`${k} -> ${fmt(b)}\n`);
  return 0;
}
