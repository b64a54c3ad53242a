import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { writeList } from '../output/format.js';
import { humanSize } from '../output/units.js';

function reclaimable(raw: number, total: number): string {
  const size = Math.max(0, raw);
  return total > 0 ? `${humanSize(size)} (${Math.trunc((size * 100) / total)}%)` : humanSize(size);
}

export default async function systemDf(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const df = await client.systemDf();
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const imgSize = df.LayersSize ?? images.reduce((a, i) => a + i.Size, 0);
  const imgActive = images.filter((i) => (i.Containers ?? 0) > 0);
  const imgUsed = imgActive.reduce((a, i) => a + i.Size - (i.SharedSize ?? 0), 0);
  const ctSize = containers.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const ctActive = containers.filter((c) => c.State === 'running');
  const ctUsed = ctActive.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const volSize = volumes.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const volActive = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0);
  const volUsed = volActive.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const cacheSize = cache.reduce((a, c) => a + (c.Size ?? 0), 0);
  const cacheActive = cache.filter((c) => c.InUse);
  const rows = [
    {
      Type: 'Images',
      TotalCount: String(images.length),
      Active: String(imgActive.length),
      Size: humanSize(imgSize),
      Reclaimable: reclaimable(imgSize - imgUsed, imgSize),
    },
    {
      Type: 'Containers',
      TotalCount: String(containers.length),
      Active: String(ctActive.length),
      Size: humanSize(ctSize),
      Reclaimable: reclaimable(ctSize - ctUsed, ctSize),
    },
    {
      Type: 'Local Volumes',
      TotalCount: String(volumes.length),
      Active: String(volActive.length),
      Size: humanSize(volSize),
      Reclaimable: reclaimable(volSize - volUsed, volSize),
    },
    {
      Type: 'Build Cache',
      TotalCount: String(cache.length),
      Active: String(cacheActive.length),
      Size: humanSize(cacheSize),
      Reclaimable: humanSize(cacheSize - cacheActive.reduce((a, c) => a + (c.Size ?? 0), 0)),
    },
  ];
  writeList(ctx.io.stdout, rows, {
    format: f.str('format'),
    defaultTable: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
    headers: {
      Type: 'TYPE',
      TotalCount: 'TOTAL',
      Active: 'ACTIVE',
      Size: 'SIZE',
      Reclaimable: 'RECLAIMABLE',
    },
  });
  return 0;
}
