import type { Writable } from 'node:stream';
import { isContentError } from '@berth/content';
import type { PlatformSpec } from '@berth/oci-spec';
import {
  type Credentials,
  fileSource,
  Progress,
  type ProgressEvent,
  pull as pullFromRegistry,
  push as pushToRegistry,
  RegistryClient,
} from '@berth/registry';
import { z } from 'zod';
import { ingestWritable } from './blobs.js';
import { ImageError } from './errors.js';
import { digestKey, parseRef } from './names.js';
import type { ImageRecord, ImageStoreCore } from './store.js';
import type { UnpackProgress } from './unpack.js';

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

/**
 * Pulls an image into the store: blobs the content store already has are skipped, the rest are
 * downloaded into verified ingests (a broken download resumes, a corrupt one is dropped); then the
 * layers are unpacked (once per chainID) and the tag and repo digest recorded.
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
  // Blobs this pull wrote: removed again if it fails, so a failed pull leaves nothing behind.
  const written = new Set<string>();
  const opened: Writable[] = [];
  try {
    return await core.lock.shared(async () => {
      const result = await pullFromRegistry(client, ref.toString(), {
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        progress,
        openBlob: async (descriptor) => {
          const writable = await openBlob(core, descriptor, options.signal);
          if (writable) {
            written.add(descriptor.digest);
            opened.push(writable);
          }
          return writable;
        },
      });
      written.add(result.manifest.digest);
      if (result.index) written.add(result.index.digest);
      const names: string[] = [];
      if (ref.digest === undefined && ref.tag !== undefined) names.push(`${ref.name}:${ref.tag}`);
      names.push(digestKey(ref.name, result.index?.digest ?? result.manifest.digest));
      return core.register({
        manifest: { bytes: result.manifest.bytes, mediaType: result.manifest.mediaType },
        ...(result.index ? { index: { bytes: result.index.bytes, mediaType: result.index.mediaType } } : {}),
        names,
        ...(onProgress ? { onUnpack: onProgress } : {}),
      });
    });
  } catch (error) {
    // The registry client destroys the writables of a failed pull; their ingests are dropped
    // asynchronously: wait for that, so the store is clean when the error reaches the caller.
    await Promise.all(opened.map(settled));
    await core.dropUnreferenced(written).catch(() => {});
    throw error;
  } finally {
    await client.close();
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
): Promise<Writable | undefined> {
  for (;;) {
    signal?.throwIfAborted();
    if (await core.content.exists(descriptor.digest)) return undefined;
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
    let writable: Writable;
    try {
      writable = await ingestWritable(core.content, descriptor);
    } catch (error) {
      finish();
      if (isContentError(error, 'EALREADYEXISTS')) return undefined;
      if (!isContentError(error, 'ELOCKED')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    writable.once('close', finish);
    return writable;
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
