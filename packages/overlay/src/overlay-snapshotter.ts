import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BaseSnapshotter } from './base.js';
import type { Mount } from './snapshotter.js';

export interface OverlayOptions {
  /**
   * Mount active snapshots with `volatile` (no syncs to the upper dir; Linux 5.10+): faster for
   * throw-away containers, but their upper dir is unusable after a host crash.
   */
  volatile?: boolean;
}

/**
 * Snapshots as overlayfs layers: a committed snapshot's `fs` is a read-only lower, an active one's is
 * the upper dir. Mounts use `index=off` when the kernel has the option (as containerd does: with index
 * on, a lower reused under another upper can fail with ESTALE), and turn redirect_dir and metacopy off
 * for writable mounts (either would make upper dirs unusable as layer diffs).
 */
export class OverlaySnapshotter extends BaseSnapshotter {
  readonly name = 'overlay';
  protected readonly layoutKind = 'overlay' as const;
  readonly #volatile: boolean;
  readonly #indexOff = existsSync('/sys/module/overlay/parameters/index');
  readonly #redirectOff = existsSync('/sys/module/overlay/parameters/redirect_dir');
  readonly #metacopyOff = existsSync('/sys/module/overlay/parameters/metacopy');

  constructor(root: string, options: OverlayOptions = {}) {
    super(root);
    this.#volatile = options.volatile ?? false;
  }

  protected makeDirs(dir: string): void {
    mkdirSync(join(dir, 'fs'), { mode: 0o755 });
    mkdirSync(join(dir, 'work'), { mode: 0o700 });
  }

  protected mountsFor(kind: 'active' | 'view', fs: string, work: string, parentFs: string[]): Mount[] {
    if (parentFs.length === 0) {
      return [{ type: 'bind', source: fs, options: [kind === 'view' ? 'ro' : 'rw', 'rbind'] }];
    }
    if (kind === 'view' && parentFs.length === 1) {
      return [{ type: 'bind', source: parentFs[0]!, options: ['ro', 'rbind'] }];
    }
    const options: string[] = [];
    if (this.#indexOff) options.push('index=off');
    if (kind === 'view') {
      // overlayfs needs two lowers to mount without an upper; a single-parent view was a bind above.
      options.push('ro', `lowerdir=${parentFs.join(':')}`);
    } else {
      // Uppers must stay plain layer diffs: no directory redirects (a renamed lower dir is copied
      // instead) and no metadata-only copy-ups, whatever the distribution's module defaults are.
      if (this.#redirectOff) options.push('redirect_dir=off');
      if (this.#metacopyOff) options.push('metacopy=off');
      if (this.#volatile) options.push('volatile');
      options.push(`workdir=${work}`, `upperdir=${fs}`, `lowerdir=${parentFs.join(':')}`);
    }
    return [{ type: 'overlay', source: 'overlay', options }];
  }
}
