import type { Writable } from 'node:stream';
import { type DockerManifest, type ImageManifest, type PlatformSpec, parseReference } from '@berth/oci-spec';
import pLimit from 'p-limit';
import type { BlobDescriptor, ResumeFrom } from './blobs.js';
import type { RegistryClient, Repository } from './client.js';
import { RegistryError } from './errors.js';
import type { FetchedManifest } from './manifests.js';
import { selectManifest } from './platform.js';
import type { BlobKind, Progress } from './progress.js';
import { abortError } from './retry.js';

/** A destination that already holds the start of the blob: the download continues after it. */
export interface BlobDestination {
  destination: Writable;
  resume?: ResumeFrom;
}

export interface PullOptions {
  /** Platform to pick from an index (default the host's). */
  platform?: PlatformSpec;
  /**
   * Where each blob (config, then layers) goes. Return undefined when the caller already has it: it
   * is skipped and reported as `exists`. The writable is ended after the blob verified, destroyed
   * with the error otherwise. A BlobDestination with `resume` continues a partial download.
   */
  openBlob(descriptor: BlobDescriptor, kind: BlobKind): OpenedBlob | Promise<OpenedBlob>;
  progress?: Progress;
  signal?: AbortSignal;
  /** Blobs downloaded at once (default the client's concurrency). */
  concurrency?: number;
}

export type OpenedBlob = Writable | BlobDestination | undefined;

export interface PullResult {
  /** The reference as pulled, normalised (`docker.io/library/alpine:3`). */
  reference: string;
  /** The index the tag pointed at, when it was one. */
  index?: Extract<FetchedManifest, { kind: 'index' }>;
  /** The image manifest (the platform's, for an index). */
  manifest: Extract<FetchedManifest, { kind: 'manifest' }>;
  config: BlobDescriptor;
  layers: BlobDescriptor[];
}

/**
 * Resolves a reference to one image manifest (picking the platform from an index) and fetches its
 * config and layers, several at once, through `openBlob`. The first failure aborts the others (their
 * writables are destroyed) and is thrown. Ends `options.progress` when done.
 */
export async function pull(
  client: RegistryClient,
  reference: string,
  options: PullOptions,
): Promise<PullResult> {
  try {
    return await pullImage(client, reference, options);
  } finally {
    options.progress?.end();
  }
}

async function pullImage(
  client: RegistryClient,
  reference: string,
  options: PullOptions,
): Promise<PullResult> {
  const ref = parseReference(reference);
  const repository = client.repository(ref);
  const signal = options.signal;
  const top = await repository.getManifest(ref.digest ?? ref.tag ?? 'latest', signal ? { signal } : {});
  let index: PullResult['index'];
  let manifest: PullResult['manifest'];
  if (top.kind === 'index') {
    index = top;
    const chosen = selectManifest(top.index, options.platform);
    const child = await repository.getManifest(chosen.digest, signal ? { signal } : {});
    if (child.kind !== 'manifest') {
      throw new RegistryError(
        'EUNSUPPORTEDMANIFEST',
        `${chosen.digest} in the index of ${ref} is not an image manifest`,
        {
          registry: ref.domain,
          repository: ref.path,
          digest: chosen.digest,
        },
      );
    }
    manifest = child;
  } else {
    manifest = top;
  }
  await fetchImageBlobs(repository, manifest.manifest, options, client.concurrency);
  return {
    reference: ref.toString(),
    ...(index ? { index } : {}),
    manifest,
    config: manifest.manifest.config,
    layers: manifest.manifest.layers,
  };
}

async function fetchImageBlobs(
  repository: Repository,
  manifest: ImageManifest | DockerManifest,
  options: PullOptions,
  defaultConcurrency: number,
): Promise<void> {
  const { progress } = options;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const blobs: [BlobDescriptor, BlobKind][] = [
    [manifest.config, 'config'],
    ...manifest.layers.map((layer): [BlobDescriptor, BlobKind] => [layer, 'layer']),
  ];
  // A layer listed twice is fetched once.
  const unique = [...new Map(blobs.map((entry) => [entry[0].digest, entry])).values()];
  for (const [descriptor, kind] of unique) progress?.add('pull', descriptor.digest, kind, descriptor.size);
  const limit = pLimit(Math.max(1, options.concurrency ?? defaultConcurrency));
  let firstError: unknown;
  try {
    await Promise.all(
      unique.map(([descriptor, kind]) =>
        limit(async () => {
          if (abort.signal.aborted) return;
          try {
            const opened = await options.openBlob(descriptor, kind);
            if (opened === undefined) {
              progress?.update(descriptor.digest, 'exists', descriptor.size);
              return;
            }
            const { destination, resume } = 'destination' in opened ? opened : { destination: opened };
            if (abort.signal.aborted) {
              // The pull reports the abort; without a listener destroy(error) would be an uncaught 'error'.
              destination.on('error', () => {});
              destination.destroy(abortError(abort.signal));
              return;
            }
            await repository.fetchBlob(descriptor, destination, {
              signal: abort.signal,
              kind,
              ...(progress ? { progress } : {}),
              ...(resume ? { resume } : {}),
            });
          } catch (error) {
            if (firstError === undefined) {
              firstError = error;
              abort.abort(error);
            }
          }
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (options.signal?.aborted) throw abortError(options.signal);
  if (firstError !== undefined) throw firstError;
}
