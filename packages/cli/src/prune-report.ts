import type { ClientTypes } from '@berth/api';
import type { Context } from './context.js';
import { humanSize } from './output/units.js';

/** Prints a prune report as docker does ("Deleted Containers:" … "Total reclaimed space: 1.2MB"). */
export function printPruneReport(ctx: Context, r: ClientTypes.PruneReport, total = true): number {
  const out = ctx.io.stdout;
  const section = (title: string, items: string[]) => {
    if (!items.length) return;
    out.write(`${title}:\n${items.join('\n')}\n\n`);
  };
  section('Deleted Containers', r.ContainersDeleted ?? []);
  section('Deleted Networks', r.NetworksDeleted ?? []);
  section('Deleted Volumes', r.VolumesDeleted ?? []);
  section(
    'Deleted Images',
    (r.ImagesDeleted ?? []).map((i) =>
      i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted ?? ''}`,
    ),
  );
  if (total) out.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  return r.SpaceReclaimed ?? 0;
}
