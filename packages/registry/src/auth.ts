import { z } from 'zod';
import type { Challenge } from './challenge.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { RegistryError } from './errors.js';

/** A token server's answer (distribution's token spec; `access_token` is the OAuth2 spelling). */
export const TokenResponse = z.looseObject({
  token: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
  issued_at: z.string().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** The minimal HTTP the authenticator needs to talk to a token server. */
export type TokenFetch = (request: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}) => Promise<{ status: number; json: () => Promise<unknown>; text: () => Promise<string> }>;

/** Tokens shorter-lived than this are treated as such; the spec says 60 s when unspecified. */
const DEFAULT_TOKEN_LIFETIME_S = 60;

interface CachedToken {
  token: string;
  expiresAt: number;
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * Answers auth challenges for one registry endpoint and caches what it got: the challenge (so later
 * requests carry credentials up front instead of collecting a 401 first) and bearer tokens by scope.
 */
export class Authenticator {
  readonly #registry: string;
  readonly #credentials: CredentialSource;
  readonly #fetch: TokenFetch;
  #challenge: Challenge | undefined;
  #tokens = new Map<string, CachedToken>();
  #pending = new Map<string, Promise<string>>();
  #resolvedCredentials: Promise<Credentials | undefined> | undefined;

  constructor(registry: string, credentials: CredentialSource, fetch: TokenFetch) {
    this.#registry = registry;
    this.#credentials = credentials;
    this.#fetch = fetch;
  }

  /** Whether a challenge has been seen (so `authorization()` has something to send). */
  get challenged(): boolean {
    return this.#challenge !== undefined;
  }

  /** Remembers the challenge of a 401 (bearer preferred over basic when both are offered). */
  setChallenges(challenges: Challenge[]): void {
    const chosen =
      challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (!chosen) {
      throw new RegistryError(
        'EUNAUTHORIZED',
        `${this.#registry} asks for an auth scheme berth does not speak (${challenges.map((c) => c.scheme).join(', ') || 'none'})`,
        { registry: this.#registry },
      );
    }
    this.#challenge = chosen;
  }

  /** Drops the cached token for these scopes (after the registry refused it). */
  invalidate(scopes: readonly string[]): void {
    this.#tokens.delete(scopeKey(scopes));
  }

  /** The Authorization header value for a request needing `scopes`, or undefined when none is needed. */
  async authorization(scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.#challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const credentials = await this.#getCredentials();
      if (!credentials || !('password' in credentials)) {
        throw new RegistryError(
          'EUNAUTHORIZED',
          `${this.#registry} needs a login (basic auth) and none is set`,
          {
            registry: this.#registry,
          },
        );
      }
      return basicHeader(credentials.username, credentials.password);
    }
    const key = scopeKey(scopes);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetchToken(challenge, scopes).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return `Bearer ${await pending}`;
  }

  #getCredentials(): Promise<Credentials | undefined> {
    this.#resolvedCredentials ??= this.#credentials(this.#registry);
    return this.#resolvedCredentials;
  }

  async #fetchToken(challenge: Challenge, scopes: readonly string[]): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) {
      throw new RegistryError('EUNAUTHORIZED', `${this.#registry}'s bearer challenge has no realm`, {
        registry: this.#registry,
      });
    }
    const service = challenge.params.service;
    // Our own scopes are derived per request; a scope the registry names on an insufficient_scope
    // refusal is something we did not foresee, so it is asked for too.
    const extra =
      challenge.params.error === 'insufficient_scope' ? (challenge.params.scope?.split(' ') ?? []) : [];
    const allScopes = [...new Set([...scopes, ...extra])].filter((s) => s.length > 0);
    const credentials = await this.#getCredentials();
    let response: Awaited<ReturnType<TokenFetch>>;
    if (credentials && 'identityToken' in credentials) {
      // OAuth2 refresh-token grant (what `docker login` stores as identitytoken).
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
        client_id: 'berth',
      });
      if (service) form.set('service', service);
      if (allScopes.length > 0) form.set('scope', allScopes.join(' '));
      response = await this.#fetch({
        method: 'POST',
        url: realm,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    } else {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      for (const scope of allScopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (credentials) headers.authorization = basicHeader(credentials.username, credentials.password);
      response = await this.#fetch({ method: 'GET', url: url.toString(), headers });
    }
    if (response.status !== 200) {
      const text = await response.text().catch(() => '');
      throw new RegistryError(
        'EUNAUTHORIZED',
        `token server ${realm} refused ${credentials ? 'the login' : 'anonymous access'} for ${allScopes.join(' ') || 'no scope'}: HTTP ${response.status} ${text.slice(0, 200)}`,
        { registry: this.#registry, status: response.status, url: realm },
      );
    }
    const parsed = TokenResponse.safeParse(await response.json().catch(() => undefined));
    const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
    if (!parsed.success || !token) {
      throw new RegistryError('EUNAUTHORIZED', `token server ${realm} answered without a token`, {
        registry: this.#registry,
        url: realm,
      });
    }
    const lifetime = Math.max(parsed.data.expires_in ?? DEFAULT_TOKEN_LIFETIME_S, DEFAULT_TOKEN_LIFETIME_S);
    const issued = parsed.data.issued_at ? Date.parse(parsed.data.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
    // Renew a little early so a token does not expire between check and use.
    this.#tokens.set(scopeKey(scopes), { token, expiresAt: start + (lifetime - 10) * 1000 });
    return token;
  }
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}
