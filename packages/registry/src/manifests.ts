import {
  type AnyManifest,
  type DockerManifest,
  type DockerManifestList,
  digestOf,
  type ImageIndex,
  type ImageManifest,
  isIndexKind,
  MANIFEST_ACCEPT,
  MediaTypes,
  parseManifest as parseManifestDocument,
} from '@berth/oci-spec';
import { apiPath, pullScope, pushScope, type RepositoryContext, unexpected } from './context.js';
import { digestAlgorithm } from './digests.js';
import { DigestMismatchError, RegistryError } from './errors.js';
import type { Endpoint } from './hosts.js';
import { header } from './transport.js';

/** Manifest media types this client reads and writes, most preferred first (what Docker sends). */
export const MANIFEST_MEDIA_TYPES: readonly string[] = MANIFEST_ACCEPT;

/** Manifests larger than this are refused before they are read (containerd's limit too). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface FetchedBase {
  mediaType: string;
  /** The digest of `bytes` (the one asked for, when fetched by digest). */
  digest: string;
  /** The manifest exactly as served: digests are of these bytes, so store and re-push them as they are. */
  bytes: Buffer;
  /** @berth/oci-spec's parse, with the four kinds told apart. */
  document: AnyManifest;
}

/** A manifest as fetched: an index (OCI index or Docker manifest list) or an image manifest. */
export type FetchedManifest =
  | (FetchedBase & { kind: 'index'; index: ImageIndex | DockerManifestList })
  | (FetchedBase & { kind: 'manifest'; manifest: ImageManifest | DockerManifest });

const SCHEMA1: ReadonlySet<string> = new Set([
  MediaTypes.dockerManifestV1,
  MediaTypes.dockerManifestV1Signed,
]);

function bare(contentType: string | undefined): string | undefined {
  const value = contentType?.split(';')[0]?.trim().toLowerCase();
  return value === '' ? undefined : value;
}

/**
 * Checks and parses manifest bytes: refuses Docker schema1 (EUNSUPPORTEDMANIFEST) and unknown types,
 * validates with @berth/oci-spec. `expectedDigest` (from a by-digest reference or the registry's
 * Docker-Content-Digest) must match the bytes.
 */
export function parseManifest(
  bytes: Buffer,
  contentType: string | undefined,
  facts: { registry?: string; repository?: string; reference?: string; expectedDigest?: string } = {},
): FetchedManifest {
  let digest = digestOf(bytes);
  if (facts.expectedDigest !== undefined) {
    const actual = digestOf(bytes, digestAlgorithm(facts.expectedDigest));
    if (actual !== facts.expectedDigest) {
      throw new DigestMismatchError(facts.expectedDigest, actual, {
        ...(facts.registry ? { registry: facts.registry } : {}),
        ...(facts.repository ? { repository: facts.repository } : {}),
      });
    }
    digest = facts.expectedDigest;
  }
  const where =
    facts.repository === undefined
      ? 'the manifest'
      : `${facts.registry}/${facts.repository}${facts.reference === undefined ? '' : `:${facts.reference}`}`;
  const errorFacts = {
    ...(facts.registry ? { registry: facts.registry } : {}),
    ...(facts.repository ? { repository: facts.repository } : {}),
    ...(facts.reference ? { reference: facts.reference } : {}),
    digest,
  };
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('EINVALID', `${where} is not JSON`, errorFacts);
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const headerType = bare(contentType);
  const declared = typeof record.mediaType === 'string' ? record.mediaType : undefined;
  // Schema1 shows as its media type or, served as application/json, as schemaVersion 1.
  if (
    record.schemaVersion === 1 ||
    (headerType !== undefined && SCHEMA1.has(headerType)) ||
    (declared !== undefined && SCHEMA1.has(declared))
  ) {
    throw new RegistryError(
      'EUNSUPPORTEDMANIFEST',
      `${where} is a Docker schema1 manifest, which berth does not support (Docker dropped it too); push the image again with a current Docker or berth to get a schema2/OCI manifest`,
      errorFacts,
    );
  }
  // A vague Content-Type (application/json, octet-stream) says nothing: let the document decide.
  const usefulHeader =
    headerType !== undefined && MANIFEST_ACCEPT.includes(headerType) ? headerType : undefined;
  const mediaType =
    declared ??
    usefulHeader ??
    (Array.isArray(record.manifests) ? MediaTypes.ociImageIndex : MediaTypes.ociImageManifest);
  if (!MANIFEST_ACCEPT.includes(mediaType)) {
    throw new RegistryError(
      'EUNSUPPORTEDMANIFEST',
      `${where} has unsupported manifest media type ${mediaType}`,
      errorFacts,
    );
  }
  let document: AnyManifest;
  try {
    document = parseManifestDocument(body, usefulHeader);
  } catch (error) {
    throw new RegistryError('EINVALID', `${where} (${mediaType}) is invalid: ${(error as Error).message}`, {
      ...errorFacts,
      cause: error,
    });
  }
  return isIndexKind(document)
    ? { kind: 'index', mediaType: document.mediaType, digest, bytes, document, index: document.index }
    : {
        kind: 'manifest',
        mediaType: document.mediaType,
        digest,
        bytes,
        document,
        manifest: document.manifest,
      };
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
  if (isDigest(reference)) digestAlgorithm(reference);
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
  const digest = isDigest(reference) ? digestOf(bytes, digestAlgorithm(reference)) : digestOf(bytes);
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
