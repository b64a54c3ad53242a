import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { writeList } from '../output/format.js';
import { shortId } from '../output/units.js';

export default async function networkLs(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const list = await client.networkList(parseFilters(f.list('filter')));
  const trunc = !f.bool('no-trunc');
  const rows = list
    .slice()
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((n) => ({
      ID: trunc ? shortId(n.Id) : n.Id,
      Name: n.Name,
      Driver: n.Driver,
      Scope: n.Scope,
      Internal: String(n.Internal ?? false),
      CreatedAt: n.Created ?? '',
      Labels: Object.entries(n.Labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      Label: (k: string) => n.Labels?.[k] ?? '',
    }));
  writeList(ctx.io.stdout, rows, {
    format: f.str('format'),
    defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
    quiet: '{{.ID}}',
    isQuiet: f.bool('quiet'),
    headers: {
      ID: 'NETWORK ID',
      Name: 'NAME',
      Driver: 'DRIVER',
      Scope: 'SCOPE',
      Internal: 'INTERNAL',
      CreatedAt: 'CREATED',
      Labels: 'LABELS',
    },
  });
  return 0;
}
