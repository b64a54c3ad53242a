import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Usage } from './snapshotter.js';

/** Allocated bytes and inodes under `dir` (hard links counted once), like `du -s` and containerd's fs.DiskUsage. */
export function diskUsage(dir: string): Usage {
  const seen = new Set<bigint>();
  let size = 0;
  let inodes = 0;
  const walk = (path: string) => {
    const st = lstatSync(path, { bigint: true });
    if (st.nlink > 1n) {
      if (seen.has(st.ino)) return;
      seen.add(st.ino);
    }
    inodes++;
    size += Number(st.blocks) * 512;
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return { size, inodes };
}
