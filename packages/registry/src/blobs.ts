import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createDigester, type Descriptor, type Digester, type DockerDescriptor } from '@berth/oci-spec';
import { apiPath, pullScope, type RepositoryContext, unexpected } from './context.js';
import { digestAlgorithm } from './digests.js';
import { DigestMismatchError, isRegistryError, RegistryError } from './errors.js';
import type { Endpoint } from './hosts.js';
import type { BlobKind, Progress } from './progress.js';
import { abortError, backoffDelay, sleep } from './retry.js';
import { header } from './transport.js';

/** A config or layer descriptor of an OCI or a Docker schema2 manifest. */
export type BlobDescriptor = Descriptor | DockerDescriptor;

/** The part of a descriptor a blob transfer needs. */
export interface BlobRef {
  digest: string;
  size: number;
  mediaType?: string;
}

export interface FetchBlobOptions {
  signal?: AbortSignal;
  progress?: Progress;
  /** Label for progress events (default `blob`). */
  kind?: BlobKind;
  /** The destination already holds the start of the blob (a download an earlier process left). */
  resume?: ResumeFrom;
}

/**
 * The bytes a destination already holds, left by a download that died with its process (containerd
 * keeps such ingests and continues them). The download asks for the rest with `Range: bytes=N-`;
 * the bytes already there are hashed first, so the final digest check covers the whole blob.
 */
export interface ResumeFrom {
  /** How many bytes the destination holds. */
  offset: number;
  /** Those bytes, from byte 0. */
  existing(): AsyncIterable<Uint8Array>;
  /**
   * Drops them: the download starts over at byte 0 (the registry ignored Range, or they do not fit
   * the blob). Called only before anything was written to the destination.
   */
  restart(): Promise<void>;
}

/** Statuses after which another endpoint (the next mirror, or the Hub itself) may have the blob. */
function fallbackWorthy(error: unknown): boolean {
  return !isRegistryError(error) || error.code !== 'EABORTED';
}

/** A failure of the caller's writable: final (never retried), rethrown as the writable's own error. */
class DestinationFailed extends Error {
  constructor(readonly error: unknown) {
    super('blob destination failed');
  }
}

/** Writes with back-pressure; rejects with DestinationFailed if the destination fails or was closed. */
async function writeTo(destination: Writable, chunk: Buffer): Promise<void> {
  if (destination.destroyed || destination.writableEnded) {
    throw new DestinationFailed(
      destination.errored ??
        new RegistryError('EINVALID', 'blob destination was closed before the blob ended'),
    );
  }
  try {
    if (!destination.write(chunk)) await once(destination, 'drain');
  } catch (error) {
    throw new DestinationFailed(error);
  }
}

/**
 * Streams a blob into `destination`, checking size and digest. Interrupted transfers resume with a
 * Range request from the last byte written (a server that ignores Range has the prefix skipped), 5xx
 * and network failures are retried with back-off. On success the destination is ended and flushed;
 * on any failure — a digest mismatch included — it is destroyed with the error, so a store's ingest
 * can throw the partial bytes away. Returns the number of bytes written.
 */
export async function fetchBlob(
  ctx: RepositoryContext,
  blob: BlobRef,
  destination: Writable,
  options: FetchBlobOptions = {},
): Promise<number> {
  const { signal, progress } = options;
  progress?.add('pull', blob.digest, options.kind ?? 'blob', blob.size);
  try {
    const state = await resumeState(blob, options.resume);
    const written = await download(ctx, blob, destination, state, options);
    progress?.update(blob.digest, 'verifying', written);
    const actual = state.hash.digest();
    if (written !== blob.size || actual !== blob.digest) {
      throw new DigestMismatchError(blob.digest, actual, {
        registry: ctx.registry,
        repository: ctx.repository,
        expectedSize: blob.size,
        actualSize: written,
      });
    }
    destination.end();
    await finished(destination);
    progress?.update(blob.digest, 'done', written);
    return written;
  } catch (error) {
    // The error is reported by the rejection below; the listener keeps destroy(error) from also
    // surfacing as an unhandled 'error' event on a writable nobody listens to.
    destination.on('error', () => {});
    destination.destroy(error as Error);
    progress?.update(blob.digest, 'failed', undefined, (error as Error).message);
    if (signal?.aborted) throw abortError(signal);
    throw error;
  }
}

/**
 * Where a download stands: `offset` bytes are in the destination and in `hash`; `written` of them
 * were written by this call (the rest came with `resume`). Advanced chunk by chunk by downloadOnce,
 * so a broken transfer resumes from here.
 */
interface DownloadState {
  offset: number;
  written: number;
  hash: Digester;
  resume: ResumeFrom | undefined;
}

/** The starting state: the destination's bytes hashed, or a restart when they cannot be a prefix. */
async function resumeState(blob: BlobRef, resume: ResumeFrom | undefined): Promise<DownloadState> {
  const algorithm = digestAlgorithm(blob.digest);
  const state: DownloadState = { offset: 0, written: 0, hash: createDigester(algorithm), resume };
  if (!resume || resume.offset === 0) return state;
  if (resume.offset <= blob.size) {
    for await (const chunk of resume.existing()) state.hash.update(chunk);
    // The bytes read back must be exactly the ones announced; anything else is started over.
    if (state.hash.size === resume.offset) {
      state.offset = resume.offset;
      return state;
    }
  }
  await resume.restart();
  state.hash = createDigester(algorithm);
  state.resume = undefined;
  return state;
}

async function download(
  ctx: RepositoryContext,
  blob: BlobRef,
  destination: Writable,
  state: DownloadState,
  options: FetchBlobOptions,
): Promise<number> {
  const { signal, progress } = options;
  const retry = ctx.transport.retry;
  // A download a dead process finished but did not commit: only the digest check is left.
  if (state.offset === blob.size && state.resume) return state.offset;
  let failures = 0;
  let endpointIndex = 0;
  for (;;) {
    const endpoint: Endpoint = ctx.pullEndpoints[endpointIndex]!;
    const before = state.offset;
    try {
      await downloadOnce(ctx, endpoint, blob, destination, state, options);
      return state.offset;
    } catch (error) {
      const offset = state.offset;
      if (signal?.aborted) throw abortError(signal);
      if (error instanceof DestinationFailed) throw error.error;
      // Nothing written yet and another endpoint left: fall back to it (mirror → Docker Hub).
      if (state.written === 0 && endpointIndex + 1 < ctx.pullEndpoints.length && fallbackWorthy(error)) {
        endpointIndex++;
        continue;
      }
      // Only broken transfers are worth resuming; a registry's refusal or bad content is final.
      if (isRegistryError(error) && error.code !== 'ENETWORK') throw error;
      failures = offset > before ? 0 : failures + 1;
      if (failures + 1 >= retry.attempts) {
        if (isRegistryError(error)) throw error;
        throw new RegistryError(
          'ENETWORK',
          `download of ${blob.digest} failed at byte ${offset} of ${blob.size}: ${(error as Error).message}`,
          { registry: ctx.registry, repository: ctx.repository, digest: blob.digest, cause: error },
        );
      }
      progress?.update(blob.digest, 'retrying', offset, (error as Error).message);
      await sleep(backoffDelay(retry, failures), signal);
    }
  }
}

/** One GET (from `state.offset`), streamed until it ends or breaks; advances `state.offset`. */
async function downloadOnce(
  ctx: RepositoryContext,
  endpoint: Endpoint,
  blob: BlobRef,
  destination: Writable,
  state: DownloadState,
  options: FetchBlobOptions,
): Promise<void> {
  const offset = state.offset;
  const req = {
    method: 'GET' as const,
    url: apiPath(ctx, `blobs/${blob.digest}`),
    headers: offset > 0 ? { range: `bytes=${offset}-` } : ({} as Record<string, string>),
    scopes: pullScope(ctx),
    signal: options.signal,
  };
  const response = await ctx.transport.request(endpoint, req);
  let skip = 0;
  if (response.status === 206) {
    const start = /^bytes (\d+)-/.exec(header(response, 'content-range') ?? '')?.[1];
    if (start === undefined || Number(start) !== offset) {
      await response.body.dump();
      throw new RegistryError(
        'EREGISTRYHTTP',
        `registry answered Range ${offset}- with ${header(response, 'content-range')}`,
        {
          registry: ctx.registry,
          repository: ctx.repository,
          digest: blob.digest,
          status: 206,
        },
      );
    }
  } else if (response.status === 200) {
    if (state.resume && state.written === 0 && offset > 0) {
      // No Range support and only an earlier process's bytes in the destination: start over cleanly.
      await state.resume.restart();
      state.resume = undefined;
      state.hash = createDigester(state.hash.algorithm);
      state.offset = 0;
    } else {
      // No Range support (or a fresh start): drop the bytes this download already wrote.
      skip = offset;
    }
  } else {
    throw await unexpected(ctx, req, response, `GET blob ${blob.digest}`, {
      code: 'EBLOBUNKNOWN',
      digest: blob.digest,
    });
  }
  options.progress?.update(blob.digest, 'downloading', state.offset);
  for await (const raw of response.body) {
    let chunk = raw as Buffer;
    if (skip > 0) {
      const dropped = Math.min(skip, chunk.length);
      skip -= dropped;
      chunk = chunk.subarray(dropped);
      if (chunk.length === 0) continue;
    }
    if (state.offset + chunk.length > blob.size) {
      response.body.destroy();
      throw new DigestMismatchError(blob.digest, 'unknown (too long)', {
        registry: ctx.registry,
        repository: ctx.repository,
        expectedSize: blob.size,
        actualSize: state.offset + chunk.length,
      });
    }
    // Hash, count and write together so `state.offset` always equals what the destination holds.
    state.hash.update(chunk);
    state.offset += chunk.length;
    state.written += chunk.length;
    await writeTo(destination, chunk);
    options.progress?.update(blob.digest, 'downloading', state.offset);
  }
  if (state.offset < blob.size) {
    throw new RegistryError('ENETWORK', `blob ${blob.digest} ended at byte ${state.offset} of ${blob.size}`, {
      registry: ctx.registry,
      repository: ctx.repository,
      digest: blob.digest,
    });
  }
}

/** HEAD of a blob: its size when the repository has it, undefined when not. */
export async function statBlob(
  ctx: RepositoryContext,
  endpoint: Endpoint,
  digest: string,
  scopes: readonly string[],
  signal?: AbortSignal,
): Promise<number | undefined> {
  const req = { method: 'HEAD' as const, url: apiPath(ctx, `blobs/${digest}`), scopes, signal };
  const response = await ctx.transport.request(endpoint, req);
  await response.body.dump();
  if (response.status === 200) return Number(header(response, 'content-length') ?? Number.NaN);
  if (response.status === 404) return undefined;
  throw await unexpected(ctx, req, response, `HEAD blob ${digest}`);
}
