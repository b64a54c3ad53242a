import { z } from 'zod';
import { Digest } from '../digest.js';

// OCI image configuration (image-spec v1.1 config.md). Unknown fields are accepted and dropped; Docker's
// extra fields are in docker/config.ts (DockerImageConfig). Never re-serialise a parsed config to
// compute its digest: keep the original bytes.

/** RFC 3339 date-time (section 5.6), as the spec requires for `created`. */
export const Timestamp = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 date-time' });

const StringArrayOrNull = z.array(z.string()).nullable();
/** `{ "80/tcp": {} }`: the values are empty objects reserved for future use. */
const SetOfStrings = z.record(z.string(), z.looseObject({}));

export const ImageContainerConfig = z.object({
  /** `user`, `uid`, `user:group`, `uid:gid`, `uid:group`, `user:gid`. */
  User: z.string().optional(),
  /** `port/tcp`, `port/udp`, or `port` (tcp). */
  ExposedPorts: SetOfStrings.optional(),
  /** `KEY=value` entries. */
  Env: z.array(z.string()).optional(),
  Entrypoint: StringArrayOrNull.optional(),
  Cmd: StringArrayOrNull.optional(),
  Volumes: SetOfStrings.nullable().optional(),
  WorkingDir: z.string().optional(),
  Labels: z.record(z.string(), z.string()).nullable().optional(),
  /** `SIGTERM` or a number, e.g. `9`. */
  StopSignal: z.string().optional(),
  /** Windows only: Cmd/Entrypoint are already escaped. */
  ArgsEscaped: z.boolean().optional(),
});
export type ImageContainerConfig = z.infer<typeof ImageContainerConfig>;

export const ImageRootFS = z.object({
  type: z.literal('layers', { message: 'expected "layers"' }),
  /** Digests of the uncompressed layer tars, base layer first (the JSON schema says string; the text says digest). */
  diff_ids: z.array(Digest),
});
export type ImageRootFS = z.infer<typeof ImageRootFS>;

export const ImageHistory = z.object({
  created: Timestamp.optional(),
  author: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  /** True when this step did not produce a layer (ENV, CMD...). */
  empty_layer: z.boolean().optional(),
});
export type ImageHistory = z.infer<typeof ImageHistory>;

export const ImageConfig = z.object({
  created: Timestamp.optional(),
  author: z.string().optional(),
  architecture: z.string(),
  os: z.string(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  variant: z.string().optional(),
  config: ImageContainerConfig.optional(),
  rootfs: ImageRootFS,
  history: z.array(ImageHistory).optional(),
});
export type ImageConfig = z.infer<typeof ImageConfig>;
