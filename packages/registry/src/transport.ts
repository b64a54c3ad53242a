import type { Readable } from 'node:stream';
import { Agent, type Dispatcher, request } from 'undici';
import { Authenticator } from './auth.js';
import { parseChallenges } from './challenge.js';
import type { CredentialSource } from './credentials.js';
import { RegistryError } from './errors.js';
import type { Endpoint } from './hosts.js';
import {
  abortError,
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  type RetryOptions,
  sleep,
} from './retry.js';

// undici rather than Node's global fetch: its `request` API hands back a Node Readable without the
// WHATWG stream adapter (less copying on multi-GiB layers), does not follow redirects behind our back
// (we must drop Authorization when a blob redirects to another origin, as Docker does), and lets us
// own the connection pool (keep-alive across parallel layer downloads) per client.

/** A request body that can be sent again (after a 401 or a retry): bytes, or a factory of streams. */
export type ReplayableBody = Uint8Array | string | (() => Readable);

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL, or a path (`/v2/...`) resolved against the endpoint's base URL. */
  url: string;
  headers?: Record<string, string>;
  body?: ReplayableBody;
  /** Token scopes this request needs (`repository:library/alpine:pull`). */
  scopes?: readonly string[];
  signal?: AbortSignal | undefined;
  /** Retry 5xx and network errors (default true). */
  retry?: boolean;
  /** @internal https origin whose certificate is not checked (an insecure-registries entry). */
  insecureOrigin?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body; consume or `dump()` it. */
  body: Dispatcher.ResponseData['body'];
  /** The URL that answered (after redirects). */
  url: string;
}

export interface TransportOptions {
  credentials: CredentialSource;
  retry?: Partial<RetryOptions>;
  userAgent?: string;
  /** An undici dispatcher to use instead of the transport's own Agent. */
  dispatcher?: Dispatcher;
}

const MAX_REDIRECTS = 10;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

export function header(response: Pick<TransportResponse, 'headers'>, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * HTTP to registries: auth challenges answered (bearer or basic, cached per endpoint), redirects
 * followed without leaking credentials across origins, and 5xx/network failures retried with
 * exponential back-off.
 */
export class Transport {
  readonly retry: RetryOptions;
  readonly #credentials: CredentialSource;
  readonly #userAgent: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownDispatcher: boolean;
  readonly #auth = new Map<string, Authenticator>();
  /** Agent without certificate checks, for insecure-registries entries (made when first needed). */
  #insecureDispatcher: Dispatcher | undefined;
  /** The base URL each insecure-TLS endpoint turned out to answer on (https, or its http fallback). */
  readonly #resolvedBase = new Map<string, Promise<string>>();

  constructor(options: TransportOptions) {
    this.#credentials = options.credentials;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#userAgent = options.userAgent ?? 'berth';
    this.#ownDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ connections: 16, keepAliveTimeout: 30_000 });
  }

  /** Closes the connection pool (only if the transport made it). */
  async close(): Promise<void> {
    if (this.#ownDispatcher) await this.#dispatcher.close();
    await this.#insecureDispatcher?.close();
  }

  /**
   * For an insecure-registries endpoint: one probe of `/v2/` over https without certificate checks;
   * any HTTP answer keeps https, a connection or TLS failure switches the endpoint to plain http.
   */
  #baseUrl(endpoint: Endpoint): Promise<string> {
    if (!endpoint.insecureTls || !endpoint.baseUrl.startsWith('https:'))
      return Promise.resolve(endpoint.baseUrl);
    let resolved = this.#resolvedBase.get(endpoint.baseUrl);
    if (!resolved) {
      resolved = this.#follow(
        { method: 'GET', url: `${endpoint.baseUrl}/v2/`, insecureOrigin: new URL(endpoint.baseUrl).origin },
        undefined,
      ).then(
        async (response) => {
          await response.body.dump();
          return endpoint.baseUrl;
        },
        () => endpoint.baseUrl.replace(/^https:/, 'http:'),
      );
      this.#resolvedBase.set(endpoint.baseUrl, resolved);
    }
    return resolved;
  }

  /** Whether the endpoint has asked for authentication (so requests to it carry credentials). */
  challenged(endpoint: Endpoint): boolean {
    return this.#auth.get(`${endpoint.registry} ${endpoint.baseUrl}`)?.challenged ?? false;
  }

  #authenticator(endpoint: Endpoint): Authenticator {
    const key = `${endpoint.registry} ${endpoint.baseUrl}`;
    let auth = this.#auth.get(key);
    if (!auth) {
      auth = new Authenticator(endpoint.registry, this.#credentials, async (req) => {
        const response = await this.#send(
          { method: req.method, url: req.url, headers: req.headers, body: req.body },
          undefined,
        );
        return {
          status: response.status,
          json: () => response.body.json(),
          text: () => response.body.text(),
        };
      });
      this.#auth.set(key, auth);
    }
    return auth;
  }

  /**
   * Sends a request to an endpoint. Answers one 401 by authenticating and sending again; a second
   * 401 is returned to the caller (who turns it into EUNAUTHORIZED with the facts it knows).
   */
  async request(endpoint: Endpoint, req: TransportRequest): Promise<TransportResponse> {
    const base = await this.#baseUrl(endpoint);
    // Paths are appended (not resolved) so a mirror's path prefix is kept.
    const url = req.url.startsWith('/') ? `${base}${req.url}` : req.url;
    const auth = this.#authenticator(endpoint);
    const scopes = req.scopes ?? [];
    // An absolute URL elsewhere (an upload Location on storage, say) gets no registry credentials.
    const origin = new URL(base).origin;
    const sameOrigin = new URL(url).origin === origin;
    const insecureOrigin = endpoint.insecureTls && origin.startsWith('https:') ? origin : undefined;
    for (let round = 0; ; round++) {
      const authorization = sameOrigin ? await auth.authorization(scopes) : undefined;
      const headers: Record<string, string> = { ...req.headers };
      if (authorization) headers.authorization = authorization;
      const response = await this.#send(
        { ...req, url, headers, ...(insecureOrigin ? { insecureOrigin } : {}) },
        req.signal,
      );
      if (response.status !== 401 || round > 0 || !sameOrigin) return response;
      const wwwAuthenticate = header(response, 'www-authenticate');
      await response.body.dump();
      if (!wwwAuthenticate) {
        throw new RegistryError('EUNAUTHORIZED', `${endpoint.registry} answered 401 without a challenge`, {
          registry: endpoint.registry,
          url,
          method: req.method,
          status: 401,
        });
      }
      auth.invalidate(scopes);
      auth.setChallenges(parseChallenges(wwwAuthenticate));
    }
  }

  /** One logical request: retries with back-off and follows redirects. */
  async #send(req: TransportRequest, signal: AbortSignal | undefined): Promise<TransportResponse> {
    const retry = req.retry ?? true;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      let response: TransportResponse;
      try {
        response = await this.#follow(req, signal);
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        if (error instanceof RegistryError || !retry || attempt + 1 >= this.retry.attempts) {
          if (error instanceof RegistryError) throw error;
          throw new RegistryError('ENETWORK', `${req.method} ${req.url}: ${(error as Error).message}`, {
            method: req.method,
            url: req.url,
            cause: error,
          });
        }
        await sleep(backoffDelay(this.retry, attempt), signal);
        continue;
      }
      if (retry && isRetryableStatus(response.status) && attempt + 1 < this.retry.attempts) {
        const retryAfter = parseRetryAfter(header(response, 'retry-after'));
        await response.body.dump();
        await sleep(backoffDelay(this.retry, attempt, retryAfter), signal);
        continue;
      }
      return response;
    }
  }

  async #follow(req: TransportRequest, signal: AbortSignal | undefined): Promise<TransportResponse> {
    let url = req.url;
    let method = req.method;
    let headers: Record<string, string> = { 'user-agent': this.#userAgent, ...req.headers };
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const payload = typeof body === 'function' ? body() : body;
      const insecure = req.insecureOrigin !== undefined && new URL(url).origin === req.insecureOrigin;
      if (insecure) this.#insecureDispatcher ??= new Agent({ connect: { rejectUnauthorized: false } });
      const response = await request(url, {
        method,
        headers,
        body: payload ?? null,
        dispatcher: insecure ? this.#insecureDispatcher! : this.#dispatcher,
        signal,
      });
      const location = response.headers.location;
      if (!REDIRECT.has(response.statusCode) || typeof location !== 'string' || hop >= MAX_REDIRECTS) {
        return { status: response.statusCode, headers: response.headers, body: response.body, url };
      }
      await response.body.dump();
      const next = new URL(location, url);
      // Credentials are for the registry only: a blob redirected to storage elsewhere goes without.
      if (next.origin !== new URL(url).origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      if (response.statusCode === 303) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      url = next.toString();
    }
  }
}
