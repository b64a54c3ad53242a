import { type ApplyOptions, type ApplyResult, applyLayer } from './apply.js';
import type { Snapshotter } from './snapshotter.js';

/**
 * Applies a layer tar to the active snapshot `key` without mounting it: into the overlay upper dir
 * (whiteouts become overlay whiteouts, the parents are consulted as lowers) or into the native
 * snapshotter's full copy (whiteouts delete).
 */
export function applyToSnapshot(
  snapshotter: Snapshotter,
  key: string,
  source: AsyncIterable<Uint8Array>,
  options: Pick<ApplyOptions, 'expectedDiffId' | 'onProgress'> = {},
): Promise<ApplyResult> {
  const layout = snapshotter.layout(key);
  return layout.kind === 'overlay'
    ? applyLayer(layout.dir, source, { ...options, mode: 'overlay', lowers: layout.parents })
    : applyLayer(layout.dir, source, { ...options, mode: 'direct' });
}
