// Builds small tars in memory for tests (hostile ones included), with the package's own encoder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unmount } from '../mount.js';
import type { TarHeader } from '../tar/header.js';
import { encodeHeader, endOfArchive, padding } from '../tar/writer.js';

export interface TestEntry extends Partial<TarHeader> {
  name: string;
  data?: string | Buffer;
}

export function makeTar(entries: TestEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const type = e.type ?? 'file';
    parts.push(
      encodeHeader({
        name: e.name,
        type,
        mode: e.mode ?? (type === 'dir' ? 0o755 : 0o644),
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        size: type === 'file' ? data.length : 0,
        mtime: e.mtime ?? 1_700_000_000,
        linkname: e.linkname ?? '',
        devmajor: e.devmajor ?? 0,
        devminor: e.devminor ?? 0,
        xattrs: e.xattrs ?? new Map(),
      }),
    );
    if (type === 'file') parts.push(data, padding(data.length));
  }
  parts.push(endOfArchive());
  return Buffer.concat(parts);
}

export async function* chunks(buf: Buffer, size = 1000): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * A unique temp dir named berth-*. The cleanup fails the test if a mount was left under it, after
 * detaching it (so rm never walks into a mounted layer) and removing the dir.
 */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `berth-${label}-`));
  return {
    dir,
    cleanup: () => {
      const left = mountsUnder(dir);
      for (const m of left) unmount(m);
      rmSync(dir, { recursive: true, force: true });
      if (left.length > 0) throw new Error(`test left mounts behind: ${left.join(', ')}`);
    },
  };
}
