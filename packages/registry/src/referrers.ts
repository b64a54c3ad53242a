import { apiPath, pullScope, type RepositoryContext, unexpected } from './context.js';
import { RegistryError } from './errors.js';
import { getManifest } from './manifests.js';
import { type Descriptor, ImageIndex, MediaTypes, parseDigest } from './spec.js';
import { nextLink } from './tags.js';
import { header } from './transport.js';

export interface ReferrersOptions {
  /** Only referrers with this artifactType (the registry filters if it can; we filter the rest). */
  artifactType?: string;
  signal?: AbortSignal;
}

/** The tag of the referrers tag schema: `<alg>-<ref>` with the hex cut to 64 characters. */
export function referrersTag(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `${algorithm}-${hex}`.slice(0, algorithm.length + 1 + 64);
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
  parseDigest(digest);
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
      headers: { accept: MediaTypes.ociIndex },
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
      accept: [MediaTypes.ociIndex],
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
