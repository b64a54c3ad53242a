import type { Writable } from 'node:stream';
import { isContentError } from '@berth/content';
import type { DockerManifest, ImageManifest, PlatformSpec } from '@berth/oci-spec';
import {
  type BlobDestination,
  type Credentials,
  type FetchedManifest,
  fileSource,
  Progress,
  type ProgressEvent,
  pull as pullFromRegistry,
  push as pushToRegistry,
  RegistryClient,
  selectManifest,
} from '@berth/registry';
import { z } from 'zod';
import { ingestWritable, pullIngestRef } from './blobs.js';
import { chainIds } from './chain.js';
import { ImageError } from './errors.js';
import { digestKey, parseRef } from './names.js';
import type { ImageRecord, ImageStoreCore } from './store.js';
import { type UnpackProgress, unpackLayerAt } from './unpack.js';

/** Progress of a pull: the registry's blob and overall events, then each layer's unpacking. */
export type ImageProgressEvent = ProgressEvent | UnpackProgress;

/**
 * Docker's AuthConfig as clients send it (the decoded `X-Registry-Auth` header): a login for the
 * registry of this one pull or push, used before the store's own credentials.
 */
export const RegistryAuth = z.looseObject({
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
  serveraddress: z.string().optional(),
  Username: z.string().optional(),
  Password: z.string().optional(),
  IdentityToken: z.string().optional(),
});
export type RegistryAuth = z.infer<typeof RegistryAuth>;

export interface PullOptions {
  /** Platform to pick from a multi-platform image (default the host's). */
  platform?: PlatformSpec;
  /** A login for this pull (Docker's X-Registry-Auth). */
  auth?: unknown;
  onProgress?: (event: ImageProgressEvent) => void;
  signal?: AbortSignal;
}

export interface PushOptions {
  /** A login for this push (Docker's X-Registry-Auth). */
  auth?: unknown;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** The local image to push, when it is not the reference itself (`docker push` pushes the tag). */
  source?: string;
}

export interface PushImageResult {
  /** `127.0.0.1:5000/app:v1` as pushed. */
  reference: string;
  tag: string | undefined;
  /** Digest of the manifest in the registry. */
  digest: string;
  /** Size of the manifest in bytes (Docker prints `digest: … size: …`). */
  size: number;
}

/** Stops the unpacker when a blob it waits for will not come; never reported to the caller. */
class DownloadFailed extends Error {
  constructor(digest: string) {
    super(`download of ${digest || 'a blob'} did not complete`);
  }
}

/** A promise with its resolve/reject, pre-handled so an unawaited rejection is no unhandled one. */
interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** The image manifest a reference names (the platform's, from an index), fetched and verified. */
async function resolveManifest(
  client: RegistryClient,
  ref: ReturnType<typeof parseRef>,
  platform: PlatformSpec | undefined,
  signal: AbortSignal,
): Promise<{ manifest: ManifestOf<'manifest'>; index?: ManifestOf<'index'> }> {
  const repository = client.repository(ref);
  const top = await repository.getManifest(ref.digest ?? ref.tag ?? 'latest', { signal });
  if (top.kind === 'manifest') return { manifest: top };
  const chosen = selectManifest(top.index, platform);
  const child = await repository.getManifest(chosen.digest, { signal });
  if (child.kind !== 'manifest') {
    throw new ImageError('INVALID', `${chosen.digest} in the index of ${ref} is not an image manifest`, {
      reference: ref.toString(),
      digest: chosen.digest,
    });
  }
  return { manifest: child, index: top };
}

type ManifestOf<K extends FetchedManifest['kind']> = Extract<FetchedManifest, { kind: K }>;

/**
 * Pulls an image into the store, as Docker does: blobs the content store has are skipped, the rest
 * are downloaded into verified ingests (a broken download resumes, a corrupt one is dropped), and
 * each layer is unpacked (once per chainID) as soon as it and the layers below it are in, while
 * later layers still download. Then the tag and repo digest are recorded. A failed pull removes the
 * blobs and layer snapshots it made.
 */
export async function pullImage(
  core: ImageStoreCore,
  reference: string,
  options: PullOptions = {},
): Promise<ImageRecord> {
  const ref = parseRef(reference);
  const client = clientFor(core, options.auth);
  const progress = new Progress();
  const onProgress = options.onProgress;
  if (onProgress) progress.on('progress', onProgress);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // What this pull made, removed again if it fails.
  const written = new Set<string>();
  const opened: Writable[] = [];
  const created: string[] = [];
  const ready = new Map<string, Deferred>();
  const readyOf = (digest: string): Deferred => {
    let d = ready.get(digest);
    if (!d) {
      d = deferred();
      ready.set(digest, d);
    }
    return d;
  };
  let unpacking: Promise<void> | undefined;
  let unpackError: unknown;
  try {
    return await core.lock.shared(async () => {
      const resolved = await resolveManifest(client, ref, options.platform, abort.signal);
      const manifest = resolved.manifest;
      written.add(manifest.digest);
      if (resolved.index) written.add(resolved.index.digest);
      unpacking = unpackAsReady(core, manifest.manifest, readyOf, created, abort.signal, onProgress).catch(
        (error: unknown) => {
          // A download that failed (or an abort) stopped the unpacker: the pull reports that itself.
          if (error instanceof DownloadFailed || abort.signal.aborted) return;
          unpackError = error;
          abort.abort(error);
        },
      );
      try {
        await pullFromRegistry(client, `${ref.name}@${manifest.digest}`, {
          signal: abort.signal,
          progress,
          openBlob: async (descriptor) => {
            const blob = await openBlob(core, descriptor, abort.signal);
            const done = readyOf(descriptor.digest);
            if (!blob) {
              done.resolve();
              return undefined;
            }
            const writable = blob.destination;
            written.add(descriptor.digest);
            opened.push(writable);
            writable.once('finish', () => done.resolve());
            writable.once('close', () => {
              if (!writable.writableFinished) done.reject(new DownloadFailed(descriptor.digest));
            });
            return blob;
          },
        });
      } catch (error) {
        for (const d of ready.values()) d.reject(new DownloadFailed(''));
        await unpacking;
        throw unpackError ?? error;
      }
      await unpacking;
      if (unpackError !== undefined) throw unpackError;
      const names: string[] = [];
      if (ref.digest === undefined && ref.tag !== undefined) names.push(`${ref.name}:${ref.tag}`);
      names.push(digestKey(ref.name, resolved.index?.digest ?? manifest.digest));
      return core.register({
        manifest: { bytes: manifest.bytes, mediaType: manifest.mediaType },
        ...(resolved.index
          ? { index: { bytes: resolved.index.bytes, mediaType: resolved.index.mediaType } }
          : {}),
        names,
      });
    });
  } catch (error) {
    // The registry client destroys the writables of a failed pull; their ingests are dropped
    // asynchronously: wait for that, so the store is clean when the error reaches the caller.
    for (const d of ready.values()) d.reject(new DownloadFailed(''));
    await unpacking;
    await Promise.all(opened.map(settled));
    core.removeUnusedSnapshots(created.reverse());
    await core.dropUnreferenced(written).catch(() => {});
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    await client.close();
  }
}

/**
 * Unpacks the layers of `manifest` bottom-up, each as soon as its blob is in the content store (the
 * config first, for the DiffIDs). Layers it applied itself are added to `created`.
 */
async function unpackAsReady(
  core: ImageStoreCore,
  manifest: ImageManifest | DockerManifest,
  readyOf: (digest: string) => Deferred,
  created: string[],
  signal: AbortSignal,
  onProgress: ((event: ImageProgressEvent) => void) | undefined,
): Promise<void> {
  await readyOf(manifest.config.digest).promise;
  const config = await core.config(manifest.config.digest);
  const diffIds = config.rootfs.diff_ids;
  // A config that does not match the manifest: register() says so.
  if (diffIds.length !== manifest.layers.length) return;
  const layers = manifest.layers.map((layer, i) => ({ digest: layer.digest, diffId: diffIds[i]! }));
  const chains = chainIds(diffIds);
  for (let i = 0; i < layers.length; i++) {
    await readyOf(layers[i]!.digest).promise;
    signal.throwIfAborted();
    const result = await unpackLayerAt(
      core.content,
      core.snapshotter,
      layers,
      chains,
      i,
      core.inFlight,
      onProgress,
    );
    if (result.created) created.push(chains[i]!);
  }
}

/** A registry client with the store's options, and a per-request login in front when one was given. */
function clientFor(core: ImageStoreCore, auth: unknown): RegistryClient {
  const options = core.registryOptions;
  if (auth === undefined || auth === null) return new RegistryClient(options);
  const parsed = RegistryAuth.safeParse(auth);
  if (!parsed.success)
    throw new ImageError('INVALID', 'the registry auth must be an object of strings (Docker AuthConfig)');
  const a = parsed.data;
  const username = a.username ?? a.Username;
  const password = a.password ?? a.Password;
  const identityToken = a.identitytoken ?? a.IdentityToken;
  const login: Credentials | undefined = identityToken
    ? { ...(username ? { username } : {}), identityToken }
    : username !== undefined && password !== undefined
      ? { username, password }
      : undefined;
  if (!login) return new RegistryClient(options);
  return new RegistryClient({ ...options, credentials: async () => login });
}

function settled(writable: Writable): Promise<void> {
  if (writable.closed) return Promise.resolve();
  if (!writable.destroyed && !writable.writableFinished) writable.destroy();
  return new Promise((resolve) => writable.once('close', () => resolve()));
}

/**
 * A writable for a blob the store lacks, or undefined when it has it. One download per blob at a
 * time in this store: a second pull of the same blob waits for the first (and takes over if that
 * one fails); another process downloading it (ELOCKED) is polled.
 */
async function openBlob(
  core: ImageStoreCore,
  descriptor: { digest: string; size: number },
  signal: AbortSignal | undefined,
): Promise<BlobDestination | undefined> {
  for (;;) {
    signal?.throwIfAborted();
    if (await core.content.exists(descriptor.digest)) {
      // A partial download of a blob that is here after all (another pull committed it) is garbage.
      await core.content.abort(pullIngestRef(descriptor.digest)).catch(() => {});
      return undefined;
    }
    const pending = core.downloads.get(descriptor.digest);
    if (pending) {
      await pending;
      continue;
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    core.downloads.set(descriptor.digest, done);
    const finish = () => {
      if (core.downloads.get(descriptor.digest) === done) core.downloads.delete(descriptor.digest);
      release();
    };
    let opened: BlobDestination;
    try {
      opened = await ingestWritable(core.content, descriptor);
    } catch (error) {
      finish();
      if (isContentError(error, 'EALREADYEXISTS')) return undefined;
      if (!isContentError(error, 'ELOCKED')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    opened.destination.once('close', finish);
    return opened;
  }
}

/**
 * Pushes an image's manifest, config and layers to a registry under the reference's tag (or by
 * digest), and records the repo digest. Blobs the registry has are skipped.
 */
export async function pushImage(
  core: ImageStoreCore,
  reference: string,
  options: PushOptions = {},
): Promise<PushImageResult> {
  const ref = parseRef(reference);
  const id = core.mustResolve(options.source ?? reference);
  const { bytes, mediaType } = await core.manifest(id);
  const client = clientFor(core, options.auth);
  const progress = new Progress();
  if (options.onProgress) progress.on('progress', options.onProgress);
  try {
    const result = await pushToRegistry(client, ref.toString(), {
      manifest: { bytes, mediaType },
      blob: async (descriptor) => {
        if (!(await core.content.exists(descriptor.digest))) {
          throw new ImageError(
            'NOT_FOUND',
            `blob ${descriptor.digest} of ${reference} is missing from the content store`,
            { digest: descriptor.digest, reference },
          );
        }
        return fileSource(core.content.blobPath(descriptor.digest));
      },
      progress,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await core.addNames(id, [digestKey(ref.name, result.digest)]);
    return { reference: ref.toString(), tag: ref.tag, digest: result.digest, size: bytes.length };
  } finally {
    await client.close();
  }
}
