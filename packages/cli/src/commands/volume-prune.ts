import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { confirm } from '../prompt.js';
import { printPruneReport } from '../prune-report.js';

export default async function volumePrune(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const all = f.bool('all');
  const warning = all
    ? 'WARNING! This will remove all local volumes not used by at least one container.'
    : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
  if (!f.bool('force') && !(await confirm(ctx, warning))) return 0;
  const client = await ctx.client();
  const filters = parseFilters(f.list('filter'));
  if (all) filters.all = ['true'];
  printPruneReport(ctx, await client.volumePrune(filters));
  return 0;
}
