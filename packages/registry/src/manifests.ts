import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { apiPath, pullScope, pushScope, type RepositoryContext, unexpected } from './context.js';
import { DigestMismatchError, RegistryError } from './errors.js';
import type { Endpoint } from './hosts.js';
import {
  DockerManifest,
  DockerManifestList,
  digestAlgorithm,
  ImageIndex,
  ImageManifest,
  MediaTypes,
  parseDigest,
} from './spec.js';
import { header } from './transport.js';

/** Manifest media types this client reads and writes, most preferred first (what Docker sends). */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MediaTypes.ociImageIndex,
  MediaTypes.ociImageManifest,
  MediaTypes.dockerManifestList,
  MediaTypes.dockerManifest,
];

const SCHEMA1_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MediaTypes.dockerManifestV1,
  MediaTypes.dockerManifestV1Signed,
  'application/json', // what registries label schema1 with when asked for nothing else
]);

/** Manifests larger than this are refused before they are read (containerd's limit too). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A manifest as fetched: its exact bytes (digests are of these), parsed. */
export type FetchedManifest =
  | { kind: 'index'; mediaType: string; digest: string; bytes: Buffer; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; digest: string; bytes: Buffer; manifest: ImageManifest };

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function digestWith(algorithm: 'sha256' | 'sha512', bytes: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

function mediaTypeOf(contentType: string | undefined, body: unknown): string | undefined {
  const fromHeader = contentType?.split(';')[0]?.trim().toLowerCase();
  if (fromHeader && MANIFEST_MEDIA_TYPES.includes(fromHeader)) return fromHeader;
  if (fromHeader && SCHEMA1_MEDIA_TYPES.has(fromHeader) && fromHeader !== 'application/json')
    return fromHeader;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (record.schemaVersion === 1) return MediaTypes.dockerManifestV1;
  if (typeof record.mediaType === 'string') return record.mediaType;
  // OCI allows mediaType to be left out of the body; tell the two shapes apart by their fields.
  if (Array.isArray(record.manifests)) return MediaTypes.ociImageIndex;
  if (Array.isArray(record.layers)) return MediaTypes.ociImageManifest;
  return fromHeader;
}

function schemaFor(mediaType: string): { kind: 'index' | 'manifest'; schema: z.ZodType } | undefined {
  switch (mediaType) {
    case MediaTypes.ociImageIndex:
      return { kind: 'index', schema: ImageIndex };
    case MediaTypes.dockerManifestList:
      return { kind: 'index', schema: DockerManifestList };
    case MediaTypes.ociImageManifest:
      return { kind: 'manifest', schema: ImageManifest };
    case MediaTypes.dockerManifest:
      return { kind: 'manifest', schema: DockerManifest };
    default:
      return undefined;
  }
}

/**
 * Checks and parses manifest bytes: refuses Docker schema1 and unknown types, validates against the
 * image spec. `expectedDigest` (from a by-digest reference or the registry's Docker-Content-Digest)
 * must match the bytes.
 */
export function parseManifest(
  bytes: Buffer,
  contentType: string | undefined,
  facts: { registry?: string; repository?: string; reference?: string; expectedDigest?: string } = {},
): FetchedManifest {
  let digest = sha256(bytes);
  if (facts.expectedDigest !== undefined) {
    const algorithm = digestAlgorithm(facts.expectedDigest);
    const actual = digestWith(algorithm, bytes);
    if (actual !== facts.expectedDigest) {
      throw new DigestMismatchError(facts.expectedDigest, actual, {
        ...(facts.registry ? { registry: facts.registry } : {}),
        ...(facts.repository ? { repository: facts.repository } : {}),
      });
    }
    digest = facts.expectedDigest;
  }
  const where = `${facts.registry ?? ''}/${facts.repository ?? ''}:${facts.reference ?? ''}`;
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('EINVALID', `manifest ${where} is not JSON`, { ...facts, digest });
  }
  const mediaType = mediaTypeOf(contentType, body);
  if (mediaType === MediaTypes.dockerManifestV1 || mediaType === MediaTypes.dockerManifestV1Signed) {
    throw new RegistryError(
      'EUNSUPPORTEDMANIFEST',
      `${where} is a Docker schema1 manifest, which berth does not support (Docker dropped it too); push the image again with a current Docker or berth to get a schema2/OCI manifest`,
      { ...facts, digest },
    );
  }
  const known = mediaType === undefined ? undefined : schemaFor(mediaType);
  if (!known || mediaType === undefined) {
    throw new RegistryError(
      'EUNSUPPORTEDMANIFEST',
      `${where} has unsupported manifest media type ${mediaType}`,
      {
        ...facts,
        digest,
      },
    );
  }
  const parsed = known.schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegistryError(
      'EINVALID',
      `manifest ${where} (${mediaType}) is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      { ...facts, digest },
    );
  }
  return known.kind === 'index'
    ? { kind: 'index', mediaType, digest, bytes, index: parsed.data as ImageIndex }
    : { kind: 'manifest', mediaType, digest, bytes, manifest: parsed.data as ImageManifest };
}

export interface GetManifestOptions {
  signal?: AbortSignal;
  /** Accept header media types (default MANIFEST_MEDIA_TYPES). */
  accept?: readonly string[];
}

/** Whether a reference string is a digest rather than a tag. */
export function isDigest(reference: string): boolean {
  return reference.includes(':');
}

async function readLimited(body: AsyncIterable<unknown>, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > limit) throw new RegistryError('EINVALID', `${what} is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** GETs a manifest by tag or digest from the first endpoint that has it; verifies its digest. */
export async function getManifest(
  ctx: RepositoryContext,
  reference: string,
  options: GetManifestOptions = {},
): Promise<FetchedManifest> {
  if (isDigest(reference)) parseDigest(reference);
  let lastError: unknown;
  for (const endpoint of ctx.pullEndpoints) {
    try {
      return await getManifestFrom(ctx, endpoint, reference, options);
    } catch (error) {
      // A wrong digest or schema1 is the content's fault, not the endpoint's: no fallback.
      if (
        error instanceof RegistryError &&
        ['EDIGESTMISMATCH', 'EUNSUPPORTEDMANIFEST', 'EABORTED'].includes(error.code)
      )
        throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function getManifestFrom(
  ctx: RepositoryContext,
  endpoint: Endpoint,
  reference: string,
  options: GetManifestOptions,
): Promise<FetchedManifest> {
  const req = {
    method: 'GET' as const,
    url: apiPath(ctx, `manifests/${reference}`),
    headers: { accept: (options.accept ?? MANIFEST_MEDIA_TYPES).join(', ') },
    scopes: pullScope(ctx),
    signal: options.signal,
  };
  const response = await ctx.transport.request(endpoint, req);
  if (response.status !== 200) {
    throw await unexpected(ctx, req, response, `GET manifest ${reference}`, {
      code: 'EMANIFESTUNKNOWN',
      reference,
    });
  }
  const declared = Number(header(response, 'content-length') ?? 0);
  if (declared > MAX_MANIFEST_BYTES) {
    await response.body.dump();
    throw new RegistryError(
      'EINVALID',
      `manifest ${reference} is ${declared} bytes, over ${MAX_MANIFEST_BYTES}`,
    );
  }
  const bytes = await readLimited(response.body, MAX_MANIFEST_BYTES, `manifest ${reference}`);
  // By digest the bytes must hash to it; by tag, to what the registry says it served (if it says).
  const headerDigest = header(response, 'docker-content-digest');
  const expectedDigest = isDigest(reference) ? reference : headerDigest;
  return parseManifest(bytes, header(response, 'content-type'), {
    registry: ctx.registry,
    repository: ctx.repository,
    reference,
    ...(expectedDigest ? { expectedDigest } : {}),
  });
}

/** HEAD of a manifest: its digest, media type and size, or undefined when it does not exist. */
export async function headManifest(
  ctx: RepositoryContext,
  reference: string,
  options: GetManifestOptions = {},
): Promise<{ digest: string | undefined; mediaType: string | undefined; size: number } | undefined> {
  const endpoint = ctx.pullEndpoints[0]!;
  const req = {
    method: 'HEAD' as const,
    url: apiPath(ctx, `manifests/${reference}`),
    headers: { accept: (options.accept ?? MANIFEST_MEDIA_TYPES).join(', ') },
    scopes: pullScope(ctx),
    signal: options.signal,
  };
  const response = await ctx.transport.request(endpoint, req);
  await response.body.dump();
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw await unexpected(ctx, req, response, `HEAD manifest ${reference}`);
  return {
    digest: header(response, 'docker-content-digest'),
    mediaType: header(response, 'content-type')?.split(';')[0],
    size: Number(header(response, 'content-length') ?? 0),
  };
}

/**
 * PUTs manifest bytes under a tag or their digest. The bytes are sent as given (their digest is the
 * manifest's identity); returns that digest after checking the registry agrees, and the registry's
 * `OCI-Subject` header (set when it indexed the manifest's subject for the referrers API).
 */
export async function putManifest(
  ctx: RepositoryContext,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
  options: { signal?: AbortSignal } = {},
): Promise<{ digest: string; ociSubject: string | undefined }> {
  const digest = isDigest(reference) ? digestWith(digestAlgorithm(reference), bytes) : sha256(bytes);
  if (isDigest(reference) && digest !== reference) throw new DigestMismatchError(reference, digest);
  const req = {
    method: 'PUT' as const,
    url: apiPath(ctx, `manifests/${reference}`),
    headers: { 'content-type': mediaType },
    body: bytes,
    scopes: pushScope(ctx),
    signal: options.signal,
  };
  const response = await ctx.transport.request(ctx.pushEndpoint, req);
  if (response.status !== 201 && response.status !== 200 && response.status !== 202) {
    throw await unexpected(ctx, req, response, `PUT manifest ${reference}`);
  }
  await response.body.dump();
  const answered = header(response, 'docker-content-digest');
  if (answered?.startsWith('sha256:') && answered !== digest) {
    throw new DigestMismatchError(digest, answered, { registry: ctx.registry, repository: ctx.repository });
  }
  return { digest, ociSubject: header(response, 'oci-subject') };
}
