import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { BlobRef } from './blobs.js';
import { statBlob } from './blobs.js';
import { apiPath, locationOf, pushScope, type RepositoryContext, unexpected } from './context.js';
import { RegistryError } from './errors.js';
import type { BlobKind, Progress } from './progress.js';
import { backoffDelay, sleep } from './retry.js';
import type { ReplayableBody } from './transport.js';
import { header } from './transport.js';

/**
 * Where pushed bytes come from: the bytes themselves, or something that opens a stream of a byte
 * range (so chunks and retries can be read again without holding the blob in memory).
 */
export type BlobSource =
  | Uint8Array
  | {
      size: number;
      /** A stream of bytes `start` to `end` inclusive (`end` defaults to the last byte). */
      open(start: number, end?: number): Readable;
    };

/** A BlobSource reading a file (the file must not change during the push). */
export async function fileSource(path: string): Promise<Exclude<BlobSource, Uint8Array>> {
  const { size } = await stat(path);
  return {
    size,
    open: (start, end) => createReadStream(path, { start, ...(end === undefined ? {} : { end }) }),
  };
}

export interface PushBlobOptions {
  signal?: AbortSignal;
  progress?: Progress;
  kind?: BlobKind;
  /** Try a cross-repository mount from this repository (same registry) before uploading. */
  mountFrom?: string;
  /**
   * Upload in PATCH chunks of this many bytes (raised to the registry's OCI-Chunk-Min-Length);
   * default: one monolithic PUT.
   */
  chunkSize?: number;
  /** Skip the HEAD existence check (default false). */
  skipExistsCheck?: boolean;
}

/** How a blob got to the registry. */
export type PushBlobResult = 'exists' | 'mounted' | 'uploaded';

function sourceSize(source: BlobSource): number {
  return source instanceof Uint8Array ? source.length : source.size;
}

/** A replayable body of bytes [start, end] that reports progress as it is read. */
function rangeBody(
  source: BlobSource,
  start: number,
  end: number,
  onBytes: ((sent: number) => void) | undefined,
): ReplayableBody {
  if (source instanceof Uint8Array) {
    const slice = source.subarray(start, end + 1);
    if (!onBytes) return slice;
    return () => {
      const stream = Readable.from([slice]);
      stream.on('end', () => onBytes(slice.length));
      return stream;
    };
  }
  return () => {
    // Count in transform(), not with a 'data' listener: that would switch the stream to flowing
    // mode and drop whatever it read before the HTTP client attached (a small blob went out empty).
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        onBytes?.(sent);
        callback(null, chunk);
      },
    });
    const stream = source.open(start, end);
    stream.on('error', (error) => counter.destroy(error));
    return stream.pipe(counter);
  };
}

/**
 * Pushes one blob: HEAD first (already there → `exists`), then a cross-repo mount when `mountFrom`
 * is given (`?mount=&from=`; 201 → `mounted`, 202 → the registry opened an upload instead), then a
 * monolithic PUT or PATCH chunks closed by a PUT with `?digest=`.
 */
export async function pushBlob(
  ctx: RepositoryContext,
  blob: BlobRef,
  source: BlobSource,
  options: PushBlobOptions = {},
): Promise<PushBlobResult> {
  const { signal, progress } = options;
  const size = sourceSize(source);
  if (size !== blob.size) {
    throw new RegistryError(
      'EINVALID',
      `blob ${blob.digest}: source has ${size} bytes, descriptor says ${blob.size}`,
      {
        digest: blob.digest,
      },
    );
  }
  progress?.add('push', blob.digest, options.kind ?? 'blob', blob.size);
  const scopes = pushScope(ctx, options.mountFrom);
  const endpoint = ctx.pushEndpoint;
  try {
    if (
      !options.skipExistsCheck &&
      (await statBlob(ctx, endpoint, blob.digest, scopes, signal)) !== undefined
    ) {
      progress?.update(blob.digest, 'exists', blob.size);
      return 'exists';
    }
    let session = await startUpload(ctx, blob, scopes, options.mountFrom, signal);
    if (session === 'mounted') {
      progress?.update(blob.digest, 'mounted', blob.size);
      return 'mounted';
    }
    const retry = ctx.transport.retry;
    for (let attempt = 0; ; attempt++) {
      try {
        await upload(ctx, session, blob, source, options, scopes);
        break;
      } catch (error) {
        // A broken or refused upload starts over in a fresh session (registries such as
        // docker-registry drop a session whose PATCH broke); bad content or auth is final.
        if (!restartable(error) || attempt + 1 >= retry.attempts) throw error;
        progress?.update(blob.digest, 'retrying', 0, (error as Error).message);
        await sleep(backoffDelay(retry, attempt), signal);
        const fresh = await startUpload(ctx, blob, scopes, undefined, signal);
        if (fresh === 'mounted') throw error;
        session = fresh;
      }
    }
    progress?.update(blob.digest, 'done', blob.size);
    return 'uploaded';
  } catch (error) {
    progress?.update(blob.digest, 'failed', undefined, (error as Error).message);
    throw error;
  }
}

interface UploadSession {
  location: string;
  /** OCI-Chunk-Min-Length of the registry (0 when it sets none). */
  minChunk: number;
}

/** POST to open an upload session, or to mount (`'mounted'` when the registry did). */
async function startUpload(
  ctx: RepositoryContext,
  blob: BlobRef,
  scopes: readonly string[],
  mountFrom: string | undefined,
  signal: AbortSignal | undefined,
): Promise<UploadSession | 'mounted'> {
  const params = new URLSearchParams();
  if (mountFrom !== undefined) {
    params.set('mount', blob.digest);
    params.set('from', mountFrom);
  }
  const query = params.size > 0 ? `?${params}` : '';
  const postReq = {
    method: 'POST' as const,
    url: apiPath(ctx, `blobs/uploads/${query}`),
    headers: { 'content-length': '0' },
    scopes,
    signal,
  };
  const started = await ctx.transport.request(ctx.pushEndpoint, postReq);
  if (started.status === 201 && mountFrom !== undefined) {
    await started.body.dump();
    return 'mounted';
  }
  if (started.status !== 202) throw await unexpected(ctx, postReq, started, `start upload of ${blob.digest}`);
  await started.body.dump();
  const location = locationOf(started);
  if (location === undefined) {
    throw new RegistryError('EREGISTRYHTTP', `start upload of ${blob.digest}: 202 without Location`, {
      registry: ctx.registry,
      repository: ctx.repository,
    });
  }
  return { location, minChunk: Number(header(started, 'oci-chunk-min-length') ?? 0) };
}

/** Failures worth a fresh upload session: the network, the server, or a session the registry lost. */
function restartable(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  if (error.code === 'ENETWORK') return true;
  const status = error.status ?? 0;
  return error.code === 'EREGISTRYHTTP' && (status >= 500 || status === 404 || status === 416);
}

/**
 * Where an upload session stands (GET on its location, 204 with `Range: 0-<last>`): the next offset
 * and location, or undefined when the registry no longer knows the session.
 */
async function uploadStatus(
  ctx: RepositoryContext,
  location: string,
  scopes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<{ offset: number; location: string } | undefined> {
  const response = await ctx.transport.request(ctx.pushEndpoint, {
    method: 'GET',
    url: location,
    scopes,
    signal,
  });
  await response.body.dump();
  if (response.status !== 204) return undefined;
  const last = /^(?:bytes=)?0-(\d+)$/.exec(header(response, 'range') ?? '')?.[1];
  // "0-0" means one byte or none (the header cannot say which): resend from 0 then.
  const offset = last === undefined || last === '0' ? 0 : Number(last) + 1;
  return { offset, location: locationOf(response) ?? location };
}

/** The bytes of one session: one streamed PUT, or PATCH chunks (resumed at the registry's offset if one breaks) and a closing PUT. */
async function upload(
  ctx: RepositoryContext,
  session: UploadSession,
  blob: BlobRef,
  source: BlobSource,
  options: PushBlobOptions,
  scopes: readonly string[],
): Promise<void> {
  const { signal, progress } = options;
  const size = blob.size;
  progress?.update(blob.digest, 'uploading', 0);
  const onBytes = progress
    ? (base: number) => (sent: number) => progress.update(blob.digest, 'uploading', base + sent)
    : undefined;
  let location = session.location;
  if (options.chunkSize === undefined || size === 0) {
    await closeUpload(
      ctx,
      location,
      blob,
      rangeBody(source, 0, size - 1, onBytes?.(0)),
      size,
      scopes,
      signal,
    );
    return;
  }
  const chunkSize = Math.max(options.chunkSize, session.minChunk, 1);
  let resumes = 0;
  for (let start = 0; start < size; ) {
    const end = Math.min(size, start + chunkSize) - 1;
    const patchReq = {
      method: 'PATCH' as const,
      url: location,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${start}-${end}`,
        'content-length': String(end - start + 1),
      },
      body: rangeBody(source, start, end, onBytes?.(start)),
      scopes,
      signal,
      // A resent chunk could overlap what the registry kept: recover below from its own offset instead.
      retry: false,
    };
    let failure: unknown;
    try {
      const patched = await ctx.transport.request(ctx.pushEndpoint, patchReq);
      if (patched.status === 202) {
        await patched.body.dump();
        location = locationOf(patched) ?? location;
        start = end + 1;
        continue;
      }
      failure = await unexpected(ctx, patchReq, patched, `upload chunk ${start}-${end} of ${blob.digest}`);
    } catch (error) {
      failure = error;
    }
    if (!restartable(failure) || ++resumes >= ctx.transport.retry.attempts) throw failure;
    const status = await uploadStatus(ctx, location, scopes, signal).catch(() => undefined);
    if (status === undefined) throw failure; // session gone: the caller starts a new one
    ({ offset: start, location } = status);
  }
  await closeUpload(ctx, location, blob, undefined, 0, scopes, signal);
}

/** The closing PUT `<location>?digest=` with the remaining bytes (or none after PATCHes). */
async function closeUpload(
  ctx: RepositoryContext,
  location: string,
  blob: BlobRef,
  body: ReplayableBody | undefined,
  length: number,
  scopes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', blob.digest);
  const putReq = {
    method: 'PUT' as const,
    url: url.toString(),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    ...(body === undefined || length === 0 ? {} : { body }),
    scopes,
    signal,
  };
  const response = await ctx.transport.request(ctx.pushEndpoint, putReq);
  if (response.status !== 201)
    throw await unexpected(ctx, putReq, response, `finish upload of ${blob.digest}`);
  await response.body.dump();
  const answered = header(response, 'docker-content-digest');
  if (answered !== undefined && answered !== blob.digest) {
    throw new RegistryError('EDIGESTMISMATCH', `registry stored ${blob.digest} as ${answered}`, {
      registry: ctx.registry,
      repository: ctx.repository,
      digest: blob.digest,
    });
  }
}
