import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { humanSize } from '../output/units.js';
import { confirm } from '../prompt.js';
import { printPruneReport } from '../prune-report.js';

export default async function systemPrune(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const all = f.bool('all');
  const volumes = f.bool('volumes');
  const items = [
    '  - all stopped containers',
    '  - all networks not used by at least one container',
    ...(volumes ? ['  - all anonymous volumes not used by at least one container'] : []),
    all ? '  - all images without at least one container associated to them' : '  - all dangling images',
    all ? '  - all build cache' : '  - unused build cache',
  ];
  if (!f.bool('force') && !(await confirm(ctx, `WARNING! This will remove:\n${items.join('\n')}\n`)))
    return 0;
  const client = await ctx.client();
  const filters = parseFilters(f.list('filter'));
  let total = 0;
  total += printPruneReport(ctx, await client.containerPrune(filters), false);
  total += printPruneReport(ctx, await client.networkPrune(filters), false);
  if (volumes) total += printPruneReport(ctx, await client.volumePrune(filters), false);
  total += printPruneReport(
    ctx,
    await client.imagePrune({ ...filters, dangling: [all ? 'false' : 'true'] }),
    false,
  );
  ctx.io.stdout.write(`Total reclaimed space: ${humanSize(total)}\n`);
  return 0;
}
