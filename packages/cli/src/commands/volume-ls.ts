import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { writeList } from '../output/format.js';

export default async function volumeLs(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const r = await client.volumeList(parseFilters(f.list('filter')));
  const rows = (r.Volumes ?? [])
    .slice()
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((v) => ({
      Name: v.Name,
      Driver: v.Driver,
      Scope: v.Scope ?? 'local',
      Mountpoint: v.Mountpoint ?? '',
      CreatedAt: v.CreatedAt ?? '',
      Labels: Object.entries(v.Labels ?? {})
        .map(([k, x]) => `${k}=${x}`)
        .join(','),
      Label: (k: string) => v.Labels?.[k] ?? '',
    }));
  writeList(ctx.io.stdout, rows, {
    format: f.str('format'),
    defaultTable: 'table {{.Driver}}\t{{.Name}}',
    quiet: '{{.Name}}',
    isQuiet: f.bool('quiet'),
    headers: {
      Name: 'VOLUME NAME',
      Driver: 'DRIVER',
      Scope: 'SCOPE',
      Mountpoint: 'MOUNTPOINT',
      CreatedAt: 'CREATED',
      Labels: 'LABELS',
    },
  });
  return 0;
}
