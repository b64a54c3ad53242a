import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BaseSnapshotter } from './base.js';
import { copyTree } from './copytree.js';
import type { Mount } from './snapshotter.js';

/**
 * The fallback for filesystems where overlayfs cannot run (an overlay upper cannot live on overlay,
 * some network filesystems): every snapshot is a full copy of its parent (reflinked where the
 * filesystem supports it) and is mounted with a bind mount.
 */
export class NativeSnapshotter extends BaseSnapshotter {
  readonly name = 'native';
  protected readonly layoutKind = 'native' as const;

  constructor(root: string) {
    super(root);
  }

  protected makeDirs(dir: string, _kind: 'active' | 'view', parentFs: string[]): void {
    const fs = join(dir, 'fs');
    mkdirSync(fs, { mode: 0o755 });
    if (parentFs[0]) copyTree(parentFs[0], fs);
  }

  protected mountsFor(kind: 'active' | 'view', fs: string): Mount[] {
    return [{ type: 'bind', source: fs, options: [kind === 'view' ? 'ro' : 'rw', 'rbind'] }];
  }
}
