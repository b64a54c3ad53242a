import { randomBytes } from 'node:crypto';
import type { ContentStore } from '@berth/content';
import { applyToSnapshot, isOverlayError, type Snapshotter, withLabels } from '@berth/overlay';
import { chainIds } from './chain.js';

/** Label on committed layer snapshots: the layer's uncompressed size (for image sizes without a walk). */
export const SIZE_LABEL = 'berth.io/image.layer.size';
/** Label on the active snapshots the unpacker writes into: the pid of the process doing it. */
export const EXTRACT_LABEL = 'berth.io/image.extract.pid';
export const EXTRACT_PREFIX = 'berth-image-extract-';

/** Unpack progress of one layer (Docker's "Extracting" / "Pull complete"). */
export interface UnpackProgress {
  type: 'unpack';
  /** Digest of the layer blob. */
  digest: string;
  status: 'extracting' | 'done' | 'exists';
  /** Uncompressed bytes applied so far. */
  current: number;
}

export interface LayerToUnpack {
  digest: string;
  diffId: string;
}

/** What unpack shares between calls of one store: layers being unpacked right now, by chainID. */
export type InFlight = Map<string, Promise<void>>;

/**
 * Unpacks layers (blobs in `content`) into committed snapshots named by their chainIDs, bottom
 * first. A chainID that is already committed is not unpacked again (layers shared between images are
 * stored once); one being unpacked by another call is waited for. Each layer goes into a fresh
 * active snapshot that is committed only when the whole layer applied and its DiffID matched, so a
 * failure leaves no half-made layer. Returns the top chainID and the uncompressed size of all layers.
 */
export async function unpackLayers(
  content: ContentStore,
  snapshotter: Snapshotter,
  layers: readonly LayerToUnpack[],
  inFlight: InFlight,
  onProgress?: (event: UnpackProgress) => void,
): Promise<{ chainId: string | undefined; size: number }> {
  const chains = chainIds(layers.map((l) => l.diffId));
  let size = 0;
  for (let i = 0; i < layers.length; i++) {
    size += (await unpackLayerAt(content, snapshotter, layers, chains, i, inFlight, onProgress)).size;
  }
  return { chainId: chains.at(-1), size };
}

/**
 * Unpacks layer `i` of `layers` (whose chainIDs are `chains`), its parent being committed already.
 * `created` says whether this call applied it (rather than finding it, or waiting for another).
 */
export async function unpackLayerAt(
  content: ContentStore,
  snapshotter: Snapshotter,
  layers: readonly LayerToUnpack[],
  chains: readonly string[],
  i: number,
  inFlight: InFlight,
  onProgress?: (event: UnpackProgress) => void,
): Promise<{ size: number; created: boolean }> {
  const layer = layers[i]!;
  const chain = chains[i]!;
  const parent = i === 0 ? undefined : chains[i - 1];
  const existing = committedSize(snapshotter, chain);
  if (existing !== undefined) {
    onProgress?.({ type: 'unpack', digest: layer.digest, status: 'exists', current: existing });
    return { size: existing, created: false };
  }
  let running = inFlight.get(chain);
  let created = false;
  if (!running) {
    created = true;
    running = applyOne(content, snapshotter, layer, chain, parent, onProgress).finally(() =>
      inFlight.delete(chain),
    );
    inFlight.set(chain, running);
  } else {
    onProgress?.({ type: 'unpack', digest: layer.digest, status: 'extracting', current: 0 });
  }
  await running;
  const size = committedSize(snapshotter, chain) ?? 0;
  onProgress?.({ type: 'unpack', digest: layer.digest, status: 'done', current: size });
  return { size, created };
}

function committedSize(snapshotter: Snapshotter, key: string): number | undefined {
  try {
    const info = snapshotter.stat(key);
    if (info.kind !== 'committed') return undefined;
    return Number(info.labels[SIZE_LABEL] ?? 0);
  } catch (error) {
    if (isOverlayError(error, 'ENOTFOUND')) return undefined;
    throw error;
  }
}

async function applyOne(
  content: ContentStore,
  snapshotter: Snapshotter,
  layer: LayerToUnpack,
  chain: string,
  parent: string | undefined,
  onProgress: ((event: UnpackProgress) => void) | undefined,
): Promise<void> {
  const key = `${EXTRACT_PREFIX}${randomBytes(6).toString('hex')}-${chain.slice(7, 19)}`;
  snapshotter.prepare(key, parent, withLabels({ [EXTRACT_LABEL]: String(process.pid) }));
  try {
    onProgress?.({ type: 'unpack', digest: layer.digest, status: 'extracting', current: 0 });
    let last = 0;
    const result = await applyToSnapshot(snapshotter, key, content.reader(layer.digest), {
      expectedDiffId: layer.diffId,
      onProgress: (bytes) => {
        // Every 4 MiB is enough for a progress bar.
        if (bytes - last >= 4 << 20) {
          last = bytes;
          onProgress?.({ type: 'unpack', digest: layer.digest, status: 'extracting', current: bytes });
        }
      },
    });
    try {
      snapshotter.commit(chain, key, withLabels({ [SIZE_LABEL]: String(result.size) }));
    } catch (error) {
      // Another process committed the same layer meanwhile: theirs is as good as ours.
      if (!isOverlayError(error, 'EALREADYEXISTS')) throw error;
      snapshotter.remove(key);
    }
  } catch (error) {
    try {
      snapshotter.remove(key);
    } catch {
      // Already committed or gone; nothing of ours is left to clean.
    }
    throw error;
  }
}
