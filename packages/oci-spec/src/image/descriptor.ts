import { z } from 'zod';
import { Digest } from '../digest.js';

// Content descriptors and platforms (image-spec v1.1 descriptor.md, image-index.md "platform").
// Unknown fields: descriptor.md says implementations MUST ignore unknown properties, so objects accept
// and drop them; `annotations` is the extension point and is kept.
// Where the spec text has a MUST that the JSON schema does not encode, the zod schema follows the text
// (digest encodings, base64 `data`, non-negative `size`); the cross-check test lists these divergences.

/** RFC 6838 media type, as the JSON schema spells it. */
export const MediaTypeString = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/, {
    message: 'expected a media type like application/vnd.oci.image.manifest.v1+json',
  });

export const Annotations = z.record(z.string(), z.string());
export type Annotations = z.infer<typeof Annotations>;

export const Platform = z.object({
  /** GOARCH values: `amd64`, `arm64`, `arm`, `386`, `ppc64le`, `s390x`, `riscv64`... */
  architecture: z.string(),
  /** GOOS values: `linux`, `windows`... */
  os: z.string(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  /** CPU variant: `v6`, `v7`, `v8` for arm/arm64; `v2`..`v4` for amd64. */
  variant: z.string().optional(),
  /** Reserved by the spec; Docker manifest lists carry it. */
  features: z.array(z.string()).optional(),
});
export type Platform = z.infer<typeof Platform>;

/** Size in bytes: the schema's int64, and not negative (it is the length of the content). */
const Size = z
  .number()
  .refine(Number.isInteger, { message: 'expected integer' })
  .refine((n) => n >= 0 && n <= 2 ** 63, { message: 'expected a size in bytes (integer >= 0)' });

export const Descriptor = z.object({
  mediaType: MediaTypeString,
  digest: Digest,
  size: Size,
  urls: z.array(z.url({ message: 'expected a URL' })).optional(),
  annotations: Annotations.optional(),
  /** The content itself, base64 (RFC 4648); if present it must match `digest` and `size`. */
  data: z.base64({ message: 'expected base64' }).optional(),
  artifactType: MediaTypeString.optional(),
  /** Allowed on any descriptor; set on the entries of an index for platform-specific manifests. */
  platform: Platform.optional(),
});
export type Descriptor = z.infer<typeof Descriptor>;
