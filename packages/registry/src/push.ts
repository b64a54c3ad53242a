import { parseReference } from '@berth/oci-spec';
import pLimit from 'p-limit';
import type { BlobDescriptor } from './blobs.js';
import type { RegistryClient, Repository } from './client.js';
import { RegistryError } from './errors.js';
import { parseManifest } from './manifests.js';
import type { BlobKind, Progress } from './progress.js';
import type { BlobSource, PushBlobResult } from './upload.js';

/** Manifest bytes as they are to be stored (their digest is their identity) and their media type. */
export interface ManifestBytes {
  bytes: Uint8Array;
  mediaType: string;
}

export interface PushOptions {
  /** The manifest or index to put under the reference's tag (or digest). */
  manifest: ManifestBytes;
  /** For an index: the manifests it lists (each is put by digest before the index). */
  children?: readonly ManifestBytes[];
  /** The bytes of a blob (config or layer) to upload. */
  blob(descriptor: BlobDescriptor, kind: BlobKind): BlobSource | Promise<BlobSource>;
  /** Repository on the same registry to cross-mount blobs from (`?mount=&from=`). */
  mountFrom?: string;
  /** Upload blobs over this size in PATCH chunks of this size (default: monolithic). */
  chunkSize?: number;
  progress?: Progress;
  signal?: AbortSignal;
  /** Blobs uploaded at once (default the client's concurrency). */
  concurrency?: number;
}

export interface PushResult {
  /** Digest of the top manifest as stored. */
  digest: string;
  /** What happened to each blob. */
  blobs: Map<string, PushBlobResult>;
}

/**
 * Pushes an image: every blob of every manifest (existing ones skipped, mounts tried when asked,
 * several at once), then child manifests by digest, then the top manifest under the tag. Ends
 * `options.progress` when done.
 */
export async function push(
  client: RegistryClient,
  reference: string,
  options: PushOptions,
): Promise<PushResult> {
  try {
    return await pushImage(client, reference, options);
  } finally {
    options.progress?.end();
  }
}

async function pushImage(
  client: RegistryClient,
  reference: string,
  options: PushOptions,
): Promise<PushResult> {
  const ref = parseReference(reference);
  const repository = client.repository(ref);
  const top = parseManifest(Buffer.from(options.manifest.bytes), options.manifest.mediaType);
  const manifests: ManifestBytes[] = [];
  if (top.kind === 'index') {
    const children = new Map(
      (options.children ?? []).map((child) => {
        const parsed = parseManifest(Buffer.from(child.bytes), child.mediaType);
        return [parsed.digest, { child, parsed }] as const;
      }),
    );
    for (const entry of top.index.manifests) {
      const found = children.get(entry.digest);
      if (!found) {
        throw new RegistryError(
          'EINVALID',
          `index lists ${entry.digest} but no such child manifest was given`,
          {
            digest: entry.digest,
          },
        );
      }
      manifests.push(found.child);
    }
  } else {
    manifests.push(options.manifest);
  }
  const blobs = new Map<string, [BlobDescriptor, BlobKind]>();
  for (const item of manifests) {
    const parsed = parseManifest(Buffer.from(item.bytes), item.mediaType);
    if (parsed.kind !== 'manifest') {
      throw new RegistryError('EUNSUPPORTEDMANIFEST', 'nested indexes are not supported by push');
    }
    blobs.set(parsed.manifest.config.digest, [parsed.manifest.config, 'config']);
    for (const layer of parsed.manifest.layers) blobs.set(layer.digest, [layer, 'layer']);
  }
  const results = await pushBlobs(repository, [...blobs.values()], options, client.concurrency);
  const signalOption = options.signal ? { signal: options.signal } : {};
  if (top.kind === 'index') {
    for (const child of manifests) {
      const digest = parseManifest(Buffer.from(child.bytes), child.mediaType).digest;
      await repository.putManifest(digest, child.bytes, child.mediaType, signalOption);
    }
  }
  const digest = await repository.putManifest(
    ref.digest ?? ref.tag ?? 'latest',
    options.manifest.bytes,
    options.manifest.mediaType,
    signalOption,
  );
  return { digest, blobs: results };
}

async function pushBlobs(
  repository: Repository,
  blobs: [BlobDescriptor, BlobKind][],
  options: PushOptions,
  defaultConcurrency: number,
): Promise<Map<string, PushBlobResult>> {
  const { progress } = options;
  for (const [descriptor, kind] of blobs) progress?.add('push', descriptor.digest, kind, descriptor.size);
  const limit = pLimit(Math.max(1, options.concurrency ?? defaultConcurrency));
  const results = new Map<string, PushBlobResult>();
  await Promise.all(
    blobs.map(([descriptor, kind]) =>
      limit(async () => {
        const source = await options.blob(descriptor, kind);
        const useChunks = options.chunkSize !== undefined && descriptor.size > options.chunkSize;
        const result = await repository.pushBlob(descriptor, source, {
          kind,
          ...(progress ? { progress } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.mountFrom !== undefined ? { mountFrom: options.mountFrom } : {}),
          ...(useChunks ? { chunkSize: options.chunkSize } : {}),
        });
        results.set(descriptor.digest, result);
      }),
    ),
  );
  return results;
}
