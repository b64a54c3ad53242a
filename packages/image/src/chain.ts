import { digestOf } from '@berth/oci-spec';

/**
 * ChainIDs of an image's layers (image-spec config.md "Layer ChainID"): the first is the first
 * DiffID, each next one is sha256 of "<parent chainID> <DiffID>". Snapshots are named by them, so
 * two images with the same lower layers share those snapshots.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent === undefined ? diffId : digestOf(`${parent} ${diffId}`));
  }
  return out;
}

/** The ChainID of the whole stack, or undefined for an image without layers. */
export function topChainId(diffIds: readonly string[]): string | undefined {
  return chainIds(diffIds).at(-1);
}
