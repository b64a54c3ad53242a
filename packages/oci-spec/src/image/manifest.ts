import { z } from 'zod';
import { Annotations, Descriptor, MediaTypeString } from './descriptor.js';
import { MediaTypes } from './media-types.js';

// OCI image manifest (image-spec v1.1 manifest.md). Unknown fields are accepted and dropped.

export const ImageManifest = z.object({
  schemaVersion: z.literal(2, { message: 'expected schemaVersion 2' }),
  /** The spec text: when present it MUST be the OCI manifest type (the JSON schema only checks the shape). */
  mediaType: z.literal(MediaTypes.ociImageManifest).optional(),
  /** Set for artifacts; otherwise the artifact type is `config.mediaType`. */
  artifactType: MediaTypeString.optional(),
  config: Descriptor,
  /**
   * Base layer first. The JSON schema requires at least one entry; the spec text only says layers
   * SHOULD have one (artifacts and FROM-scratch images may have none), and berth follows the text.
   */
  layers: z.array(Descriptor),
  /** The manifest this one refers to (referrers API). */
  subject: Descriptor.optional(),
  annotations: Annotations.optional(),
});
export type ImageManifest = z.infer<typeof ImageManifest>;
