import { z } from 'zod';
import { Digest } from './digest.js';

/**
 * Labels are free-form strings; `containerd.io/gc.ref.*`-style keys name other blobs or snapshots this
 * blob keeps alive. Like containerd, one label (key + value) is limited to 4096 bytes.
 */
export const Labels = z
  .record(z.string().min(1), z.string())
  .refine((labels) => Object.entries(labels).every(([k, v]) => Buffer.byteLength(k + v) <= 4096), {
    message: 'a label (key + value) is limited to 4096 bytes',
  });
export type Labels = z.infer<typeof Labels>;

/** What the store knows about a committed blob. */
export interface Info {
  digest: Digest;
  size: number;
  createdAt: Date;
  updatedAt: Date;
  labels: Labels;
}

/** The on-disk metadata file of a blob (labels/<alg>/<hex>.json), validated when read back. */
export const BlobMeta = z.object({
  createdAt: z.string(),
  updatedAt: z.string(),
  labels: Labels,
});
export type BlobMeta = z.infer<typeof BlobMeta>;

/** The on-disk metadata of an ingest in progress (ingest/<id>/meta.json). */
export const IngestMeta = z.object({
  ref: z.string().min(1),
  startedAt: z.string(),
  total: z.number().int().nonnegative().optional(),
  expected: Digest.optional(),
});
export type IngestMeta = z.infer<typeof IngestMeta>;

/** Progress of an ingest, as `status(ref)` reports it. */
export interface Status {
  ref: string;
  offset: number;
  total?: number;
  expected?: Digest;
  startedAt: Date;
  updatedAt: Date;
}
