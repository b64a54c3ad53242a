import { z } from 'zod';
import { Annotations, Descriptor, MediaTypeString } from './descriptor.js';
import { MediaTypes } from './media-types.js';

// OCI image index (image-spec v1.1 image-index.md): a list of manifests, usually one per platform.
// Also the format of an image layout's index.json. Unknown fields are accepted and dropped.

export const ImageIndex = z.object({
  schemaVersion: z.literal(2, { message: 'expected schemaVersion 2' }),
  /** The spec text: when present it MUST be the OCI index type. */
  mediaType: z.literal(MediaTypes.ociImageIndex).optional(),
  artifactType: MediaTypeString.optional(),
  /** Descriptors of manifests or nested indexes; `platform` says which platform each one is for. */
  manifests: z.array(Descriptor),
  subject: Descriptor.optional(),
  annotations: Annotations.optional(),
});
export type ImageIndex = z.infer<typeof ImageIndex>;
