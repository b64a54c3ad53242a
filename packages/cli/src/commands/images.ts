import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { writeList } from '../output/format.js';
import { IMAGE_HEADERS, imageRows } from '../output/rows.js';

export default async function images(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const filters = parseFilters(f.list('filter'));
  if (args[0]) filters.reference = [...(filters.reference ?? []), args[0]];
  const list = await client.imageList({ all: f.bool('all'), filters, digests: f.bool('digests') });
  list.sort((a, b) => b.Created - a.Created);
  const trunc = !f.bool('no-trunc');
  let rows = list.flatMap((img) => imageRows(img, { trunc, digests: f.bool('digests') }));
  if (f.bool('quiet')) {
    const seen = new Set<string>();
    rows = rows.filter((r) => !seen.has(r.ID) && seen.add(r.ID));
  }
  const table = f.bool('digests')
    ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
    : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
  writeList(ctx.io.stdout, rows, {
    format: f.str('format'),
    defaultTable: table,
    quiet: '{{.ID}}',
    isQuiet: f.bool('quiet'),
    headers: IMAGE_HEADERS,
  });
  return 0;
}
