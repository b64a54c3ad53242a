import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { writeList } from '../output/format.js';
import { CONTAINER_HEADERS, containerRow } from '../output/rows.js';

const DEFAULT_TABLE =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

export default async function ps(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const limit = f.bool('latest') ? 1 : (f.int('last') ?? -1);
  const format = f.str('format');
  const wantsSize = f.bool('size') || (format?.includes('.Size') ?? false);
  const list = await client.containerList({
    all: f.bool('all') || limit > 0,
    limit,
    size: wantsSize,
    filters: parseFilters(f.list('filter')),
  });
  const trunc = !f.bool('no-trunc');
  const rows = list.map((c) => containerRow(c, { trunc }));
  const table = f.bool('size') ? `${DEFAULT_TABLE}\t{{.Size}}` : DEFAULT_TABLE;
  writeList(ctx.io.stdout, rows, {
    format,
    defaultTable: table,
    quiet: '{{.ID}}',
    isQuiet: f.bool('quiet'),
    headers: CONTAINER_HEADERS,
  });
  return 0;
}
