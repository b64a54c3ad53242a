// Reads files of a container's root filesystem without mounting it: the snapshot's mounts are a
// bind of one directory or an overlay (upperdir over lowerdirs), so a path is looked up in each
// layer from the top, stopping at an overlay whiteout. Symlinks are followed inside the layers.
// The daemon needs only small files (/etc/passwd, /etc/group) before the container exists.
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RootfsReader } from './user.js';

export interface RootfsMount {
  type: string;
  source: string;
  options: string[];
}

/** The layer directories of the mounts, top first. */
export function layersOf(mounts: readonly RootfsMount[]): string[] {
  const layers: string[] = [];
  for (const m of [...mounts].reverse()) {
    if (m.type === 'bind') {
      layers.push(m.source);
      break;
    }
    if (m.type === 'overlay') {
      const opt = (k: string) => m.options.find((o) => o.startsWith(`${k}=`))?.slice(k.length + 1);
      const upper = opt('upperdir');
      if (upper) layers.push(upper);
      layers.push(...(opt('lowerdir')?.split(':') ?? []));
      break;
    }
  }
  return layers;
}

function lookup(layers: readonly string[], path: string, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  const clean = posix.normalize(`/${path}`);
  for (const layer of layers) {
    const p = join(layer, clean);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    // a whiteout (0:0 char device) hides the lower layers' file
    if (st.isCharacterDevice() && st.rdev === 0) return undefined;
    if (st.isSymbolicLink()) {
      const target = readlinkSync(p);
      return lookup(
        layers,
        target.startsWith('/') ? target : posix.join(posix.dirname(clean), target),
        depth + 1,
      );
    }
    return st.isFile() ? p : undefined;
  }
  return undefined;
}

export function rootfsReader(mounts: readonly RootfsMount[]): RootfsReader {
  const layers = layersOf(mounts).filter((l) => existsSync(l));
  return (path) => {
    const p = lookup(layers, path);
    return p === undefined ? undefined : readFileSync(p, 'utf8');
  };
}

/** A reader over a plain directory (a rootfs on disk). */
export function dirReader(dir: string): RootfsReader {
  return rootfsReader([{ type: 'bind', source: dir, options: [] }]);
}
