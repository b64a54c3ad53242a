import { type Descriptor, ImageIndex, MediaTypes } from '@berth/oci-spec';
import { apiPath, pullScope, type RepositoryContext, unexpected } from './context.js';
import { digestAlgorithm } from './digests.js';
import { RegistryError } from './errors.js';
import { getManifest, putManifest } from './manifests.js';
import { nextLink } from './tags.js';
import { header } from './transport.js';

export interface ReferrersOptions {
  /** Only referrers with this artifactType (the registry filters if it can; we filter the rest). */
  artifactType?: string;
  signal?: AbortSignal;
}

/** The tag of the referrers tag schema: `<alg>-<ref>` with the hex cut to 64 characters. */
export function referrersTag(digest: string): string {
  const algorithm = digestAlgorithm(digest);
  const encoded = digest.slice(algorithm.length + 1);
  return `${algorithm}-${encoded}`.slice(0, algorithm.length + 1 + 64);
}

/**
 * The manifests whose `subject` is `digest`: the referrers API (pages followed), or — when the
 * registry answers 404, as registries without the API do — the index under the referrers tag
 * schema; no index there means no referrers.
 */
export async function listReferrers(
  ctx: RepositoryContext,
  digest: string,
  options: ReferrersOptions = {},
): Promise<Descriptor[]> {
  digestAlgorithm(digest);
  const params = new URLSearchParams();
  if (options.artifactType !== undefined) params.set('artifactType', options.artifactType);
  let url: string | undefined = apiPath(ctx, `referrers/${digest}${params.size > 0 ? `?${params}` : ''}`);
  const endpoint = ctx.pullEndpoints[0]!;
  const found: Descriptor[] = [];
  let filtered = false;
  while (url !== undefined) {
    const req = {
      method: 'GET' as const,
      url,
      headers: { accept: MediaTypes.ociImageIndex },
      scopes: pullScope(ctx),
      signal: options.signal,
    };
    const response = await ctx.transport.request(endpoint, req);
    if (response.status === 404 && found.length === 0) {
      await response.body.dump();
      return fromTagSchema(ctx, digest, options);
    }
    if (response.status !== 200) throw await unexpected(ctx, req, response, `referrers of ${digest}`);
    const parsed = ImageIndex.safeParse(await response.body.json().catch(() => undefined));
    if (!parsed.success) {
      throw new RegistryError(
        'EINVALID',
        `referrers of ${digest} in ${ctx.registry}/${ctx.repository} is not an image index`,
        {
          registry: ctx.registry,
          repository: ctx.repository,
          digest,
        },
      );
    }
    filtered ||= (header(response, 'oci-filters-applied') ?? '')
      .split(',')
      .some((f) => f.trim() === 'artifactType');
    found.push(...parsed.data.manifests);
    url = nextLink(header(response, 'link'), response.url);
  }
  return filtered ? found : filterByType(found, options.artifactType);
}

async function fromTagSchema(
  ctx: RepositoryContext,
  digest: string,
  options: ReferrersOptions,
): Promise<Descriptor[]> {
  try {
    const fetched = await getManifest(ctx, referrersTag(digest), {
      accept: [MediaTypes.ociImageIndex],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (fetched.kind !== 'index') return [];
    return filterByType(fetched.index.manifests, options.artifactType);
  } catch (error) {
    if (
      error instanceof RegistryError &&
      ['EMANIFESTUNKNOWN', 'EUNSUPPORTEDMANIFEST', 'EINVALID'].includes(error.code)
    )
      return [];
    throw error;
  }
}

function filterByType(descriptors: Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType === undefined
    ? descriptors
    : descriptors.filter((d) => d.artifactType === artifactType);
}

/** The fields of a pushed manifest that decide its referrers entry. */
interface SubjectFields {
  subject?: { digest: string };
  artifactType?: string;
  config?: { mediaType: string };
  annotations?: Record<string, string>;
}

/**
 * PUTs a manifest and, when it has a `subject` the registry did not acknowledge (no `OCI-Subject`
 * header: no referrers API), adds it to the index under the referrers tag schema as the spec asks of
 * clients. Concurrent pushers can race on that tag; the spec leaves that to registries with the API.
 */
export async function putManifestWithReferrers(
  ctx: RepositoryContext,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const { digest, ociSubject } = await putManifest(ctx, reference, bytes, mediaType, options);
  let fields: SubjectFields;
  try {
    fields = JSON.parse(Buffer.from(bytes).toString('utf8')) as SubjectFields;
  } catch {
    return digest;
  }
  if (fields.subject === undefined || ociSubject !== undefined) return digest;
  // artifactType: the manifest's own, else its config's media type; an index without one has none.
  const artifactType = fields.artifactType ?? fields.config?.mediaType;
  const entry: Descriptor = {
    mediaType,
    digest,
    size: bytes.length,
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(fields.annotations !== undefined ? { annotations: fields.annotations } : {}),
  };
  const tag = referrersTag(fields.subject.digest);
  let manifests: Descriptor[] = [];
  try {
    const existing = await getManifest(ctx, tag, {
      accept: [MediaTypes.ociImageIndex],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (existing.kind === 'index') manifests = existing.index.manifests;
  } catch (error) {
    if (!(error instanceof RegistryError) || error.code !== 'EMANIFESTUNKNOWN') throw error;
  }
  if (manifests.some((m) => m.digest === digest)) return digest;
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociImageIndex,
      manifests: [...manifests, entry],
    }),
  );
  await putManifest(ctx, tag, index, MediaTypes.ociImageIndex, options);
  return digest;
}
