import { z } from 'zod';
import { Digest } from '../digest.js';
import { MediaTypeString, Platform } from '../image/descriptor.js';
import { MediaTypes } from '../image/media-types.js';

// Docker image manifest v2 schema 2 and manifest list (distribution's docs/spec/manifest-v2-2.md).
// Unlike OCI, `mediaType` is required and fixed. Unknown fields are accepted and dropped.

const Size = z
  .number()
  .refine(Number.isInteger, { message: 'expected integer' })
  .refine((n) => n >= 0, { message: 'expected a size in bytes (integer >= 0)' });

export const DockerDescriptor = z.object({
  mediaType: MediaTypeString,
  size: Size,
  digest: Digest,
  /** Foreign layers (Windows base layers) are downloaded from these URLs. */
  urls: z.array(z.url({ message: 'expected a URL' })).optional(),
});
export type DockerDescriptor = z.infer<typeof DockerDescriptor>;

export const DockerManifest = z.object({
  schemaVersion: z.literal(2, { message: 'expected schemaVersion 2' }),
  mediaType: z.literal(MediaTypes.dockerManifest),
  config: DockerDescriptor,
  layers: z.array(DockerDescriptor),
});
export type DockerManifest = z.infer<typeof DockerManifest>;

export const DockerManifestListEntry = DockerDescriptor.extend({
  platform: Platform,
});
export type DockerManifestListEntry = z.infer<typeof DockerManifestListEntry>;

export const DockerManifestList = z.object({
  schemaVersion: z.literal(2, { message: 'expected schemaVersion 2' }),
  mediaType: z.literal(MediaTypes.dockerManifestList),
  manifests: z.array(DockerManifestListEntry),
});
export type DockerManifestList = z.infer<typeof DockerManifestList>;
