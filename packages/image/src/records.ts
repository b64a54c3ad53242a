import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Descriptor, Digest } from '@berth/oci-spec';
import { z } from 'zod';
import { ImageError } from './errors.js';

/** What the store keeps about one image (the rest comes from its config and manifest blobs). */
export const StoredImage = z.object({
  /** The image manifest (for a multi-platform image: the chosen platform's). */
  target: Descriptor,
  /** The index (manifest list) the manifest was chosen from, when it came from one. */
  index: Digest.optional(),
  /** When this store first had the image. */
  added: z.string(),
  /** Sum of the layers' uncompressed sizes (what Docker shows as Size). */
  size: z.number().nonnegative(),
  /** ChainID of the top layer; absent for an image without layers. */
  chainId: Digest.optional(),
  /** When a tag last pointed at it (Docker's Metadata.LastTagTime). */
  lastTagTime: z.string().optional(),
});
export type StoredImage = z.infer<typeof StoredImage>;

/**
 * `<root>/images.json`: images by id (sha256 of the config) and names → id. Names are normalised
 * references: `docker.io/library/busybox:latest` for tags, `docker.io/library/busybox@sha256:…` for
 * repo digests.
 */
export const ImagesFile = z.object({
  version: z.literal(1),
  images: z.record(z.string(), StoredImage),
  names: z.record(z.string(), z.string()),
});
export type ImagesFile = z.infer<typeof ImagesFile>;

export function emptyImagesFile(): ImagesFile {
  return { version: 1, images: {}, names: {} };
}

export function readImagesFile(path: string): ImagesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyImagesFile();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageError('INVALID', `${path} is not JSON (the image index is damaged)`, {
      path,
      cause: error,
    });
  }
  const parsed = ImagesFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImageError(
      'INVALID',
      `${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'} (the image index is damaged)`,
      { path },
    );
  }
  return parsed.data;
}

/** Writes the index atomically: a temp file, fsynced, renamed over the old one, directory fsynced. */
export function writeImagesFile(path: string, data: ImagesFile): void {
  const temp = join(dirname(path), `.images.json.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
