import { z } from 'zod';
import { RegistryError, type RegistryErrorCode } from './errors.js';
import type { Endpoint } from './hosts.js';
import { header, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

/** What every repository operation needs: where to send requests and how. */
export interface RepositoryContext {
  transport: Transport;
  /** The registry as named in references (`docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** The repository path (`library/alpine`). */
  repository: string;
  /** Endpoints for reads, in order (mirrors first for Docker Hub). */
  pullEndpoints: readonly Endpoint[];
  /** The endpoint for writes (never a mirror). */
  pushEndpoint: Endpoint;
}

/** The JSON error body of the distribution spec: `{ errors: [{ code, message, detail }] }`. */
export const RegistryErrorBody = z.object({
  errors: z.array(z.looseObject({ code: z.string(), message: z.string().optional().default('') })),
});

export function pullScope(ctx: RepositoryContext): string[] {
  return [`repository:${ctx.repository}:pull`];
}

export function pushScope(ctx: RepositoryContext, mountFrom?: string): string[] {
  const scopes = [`repository:${ctx.repository}:pull,push`];
  if (mountFrom !== undefined) scopes.push(`repository:${mountFrom}:pull`);
  return scopes;
}

/**
 * Turns an unexpected answer into a RegistryError with the registry's own error codes; 401/403
 * become EUNAUTHORIZED, 404 becomes `notFound` when given.
 */
export async function unexpected(
  ctx: RepositoryContext,
  req: Pick<TransportRequest, 'method'>,
  response: TransportResponse,
  what: string,
  notFound?: { code: RegistryErrorCode; digest?: string; reference?: string },
): Promise<RegistryError> {
  let registryErrors: { code: string; message: string }[] | undefined;
  if (req.method !== 'HEAD') {
    const text = await response.body.text().catch(() => '');
    try {
      const parsed = RegistryErrorBody.safeParse(JSON.parse(text));
      if (parsed.success)
        registryErrors = parsed.data.errors.map((e) => ({ code: e.code, message: e.message }));
    } catch {
      // not JSON: keep the status only
    }
  } else {
    await response.body.dump();
  }
  const detail = registryErrors?.length
    ? `: ${registryErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`
    : '';
  const facts = {
    registry: ctx.registry,
    repository: ctx.repository,
    method: req.method,
    url: response.url,
    status: response.status,
    ...(registryErrors ? { registryErrors } : {}),
    ...(notFound?.digest ? { digest: notFound.digest } : {}),
    ...(notFound?.reference ? { reference: notFound.reference } : {}),
  };
  if (response.status === 401 || response.status === 403) {
    return new RegistryError(
      'EUNAUTHORIZED',
      `${what}: ${ctx.registry} refused access to ${ctx.repository} (HTTP ${response.status})${detail}`,
      facts,
    );
  }
  if (response.status === 404 && notFound) {
    return new RegistryError(
      notFound.code,
      `${what}: not found in ${ctx.registry}/${ctx.repository}${detail}`,
      facts,
    );
  }
  return new RegistryError(
    'EREGISTRYHTTP',
    `${what}: HTTP ${response.status} from ${response.url}${detail}`,
    facts,
  );
}

/** The upload URL of a 202/201 answer (`Location`, resolved against the request URL). */
export function locationOf(response: TransportResponse): string | undefined {
  const location = header(response, 'location');
  return location === undefined ? undefined : new URL(location, response.url).toString();
}

/** `/v2/<repository>/<rest>` */
export function apiPath(ctx: RepositoryContext, rest: string): string {
  return `/v2/${ctx.repository}/${rest}`;
}
