import { z } from 'zod';
import { parseDigest } from '../digest.js';
import { ImageIndex } from './image-index.js';

// OCI image layout (image-spec v1.1 image-layout.md): a directory with `oci-layout`, `index.json` and
// `blobs/<algorithm>/<encoded>`.

/** The `oci-layout` file. */
export const ImageLayout = z.object({
  imageLayoutVersion: z.literal('1.0.0', { message: 'expected imageLayoutVersion "1.0.0"' }),
});
export type ImageLayout = z.infer<typeof ImageLayout>;

/** The `index.json` file of a layout: an image index. */
export const ImageLayoutIndex = ImageIndex;
export type ImageLayoutIndex = ImageIndex;

/** Name of the layout marker file. */
export const IMAGE_LAYOUT_FILE = 'oci-layout';
/** Name of the layout's entry point. */
export const IMAGE_LAYOUT_INDEX_FILE = 'index.json';
/** The content of a fresh `oci-layout` file. */
export const IMAGE_LAYOUT_VERSION = '1.0.0';

/** `blobs/sha256/<hex>` — where a layout keeps the blob with this digest (relative to the layout root). */
export function blobPath(digest: string): string {
  const { algorithm, encoded } = parseDigest(digest);
  return `blobs/${algorithm}/${encoded}`;
}
