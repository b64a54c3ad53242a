import { z } from 'zod';
import { apiPath, pullScope, type RepositoryContext, unexpected } from './context.js';
import { RegistryError } from './errors.js';
import { header } from './transport.js';

/** The tags list body: `{ name, tags }` (`tags` may be null for an empty repository). */
export const TagList = z.looseObject({ name: z.string(), tags: z.array(z.string()).nullable().optional() });
export type TagList = z.infer<typeof TagList>;

/** The `rel="next"` target of an RFC 5988 Link header, resolved against the request URL. */
export function nextLink(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /rel="?next"?/.test(match[2] ?? '')) return new URL(match[1]!, base).toString();
  }
  return undefined;
}

export interface ListTagsOptions {
  /** Page size asked of the registry (`n`); every page is followed either way. */
  pageSize?: number;
  /** Start after this tag (`last`). */
  last?: string;
  signal?: AbortSignal;
}

/** Every tag of the repository, following `Link: <...>; rel="next"` pages. */
export async function listTags(ctx: RepositoryContext, options: ListTagsOptions = {}): Promise<string[]> {
  const params = new URLSearchParams();
  if (options.pageSize !== undefined) params.set('n', String(options.pageSize));
  if (options.last !== undefined) params.set('last', options.last);
  let url: string | undefined = apiPath(ctx, `tags/list${params.size > 0 ? `?${params}` : ''}`);
  const endpoint = ctx.pullEndpoints[0]!;
  const tags: string[] = [];
  while (url !== undefined) {
    const req = { method: 'GET' as const, url, scopes: pullScope(ctx), signal: options.signal };
    const response = await ctx.transport.request(endpoint, req);
    if (response.status !== 200) {
      throw await unexpected(ctx, req, response, 'list tags', { code: 'EREGISTRYHTTP' });
    }
    const parsed = TagList.safeParse(await response.body.json().catch(() => undefined));
    if (!parsed.success) {
      throw new RegistryError(
        'EINVALID',
        `tags list of ${ctx.registry}/${ctx.repository} is not {name, tags}`,
        {
          registry: ctx.registry,
          repository: ctx.repository,
        },
      );
    }
    tags.push(...(parsed.data.tags ?? []));
    url = nextLink(header(response, 'link'), response.url);
  }
  return tags;
}
