import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { confirm } from '../prompt.js';

export default async function networkPrune(ctx: Context, _args: string[], f: Flags): Promise<number> {
  if (
    !f.bool('force') &&
    !(await confirm(ctx, 'WARNING! This will remove all custom networks not used by at least one container.'))
  ) {
    return 0;
  }
  const client = await ctx.client();
  const r = await client.networkPrune(parseFilters(f.list('filter')));
  const deleted = r.NetworksDeleted ?? [];
  if (deleted.length) ctx.io.stdout.write(`Deleted Networks:\n${deleted.join('\n')}\n\n`);
  return 0;
}
