// Auth flows: htpasswd basic auth on the real docker-registry, and the bearer token flow through a
// token server written here (docker-registry's own token auth needs certificates) that gates a real
// docker-registry.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPlatform } from '@berth/oci-spec';
import { startRegistry, type TestRegistry } from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';
import { dockerConfigCredentials, staticCredentials } from './credentials.js';
import { pull } from './pull.js';
import { push } from './push.js';
import { MemorySink, makeTestImage } from './test-support.js';

const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
const USER = 'berth';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const REFRESH_TOKEN = `refresh-${randomBytes(6).toString('hex')}`;

describe('htpasswd basic auth on docker-registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: USER, password: PASSWORD } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses anonymous and wrong-password access with EUNAUTHORIZED', async () => {
    const anonymous = new RegistryClient({ credentials: async () => undefined, retry: fast });
    const wrong = new RegistryClient({
      credentials: staticCredentials({ [registry.host]: { username: USER, password: 'wrong' } }),
      retry: fast,
    });
    try {
      await expect(anonymous.ping(registry.host)).rejects.toMatchObject({ code: 'EUNAUTHORIZED' });
      await expect(wrong.ping(registry.host)).rejects.toMatchObject({ code: 'EUNAUTHORIZED', status: 401 });
    } finally {
      await anonymous.close();
      await wrong.close();
    }
  });

  it('pushes and pulls with credentials from a Docker config.json found through DOCKER_CONFIG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-test-dockercfg-'));
    const saved = process.env.DOCKER_CONFIG;
    const client = new RegistryClient({ retry: fast });
    try {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
          auths: { [registry.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } },
        }),
      );
      process.env.DOCKER_CONFIG = dir;
      expect(await client.ping(registry.host)).toEqual({ apiVersion: 'registry/2.0', authenticated: true });
      const image = makeTestImage(hostPlatform());
      const reference = `${registry.host}/berth-test/private:v1`;
      await push(client, reference, { manifest: image.manifest, blob: (d) => image.blobs.get(d.digest)! });
      const pulled = await pull(client, reference, { openBlob: () => new MemorySink() });
      expect(pulled.manifest.digest).toBe(image.manifest.digest);
      // The explicit source reads the same file.
      expect(await dockerConfigCredentials({ configDir: dir })(registry.host)).toEqual({
        username: USER,
        password: PASSWORD,
      });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface TokenRequest {
  scopes: string[];
  service: string | null;
  user: string | undefined;
}

/**
 * A token server and a gate in one HTTP server: /token issues bearer tokens (anonymous ones for
 * pulls of `public/*`, anything for the right login), and /v2/ forwards to the registry only with a
 * token granting the request's scope, answering 401 + a Bearer challenge otherwise.
 */
async function startTokenGate(registry: TestRegistry) {
  const tokens = new Map<string, string[]>();
  const tokenRequests: TokenRequest[] = [];
  const [targetHost, targetPort] = registry.host.split(':') as [string, string];
  let base = '';

  const granted = (scopes: string[], user: string | undefined) =>
    scopes.filter((scope) => {
      const [, name = '', actions = ''] = scope.split(':');
      if (user === USER) return true;
      return name.startsWith('public/') && actions === 'pull';
    });

  const handleToken = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'POST') {
      // OAuth2 refresh-token grant: the form's fields stand in for the query.
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== REFRESH_TOKEN) {
        res.writeHead(401).end('{"details":"bad refresh token"}');
        return;
      }
      const scopes = form.get('scope')?.split(' ') ?? [];
      tokenRequests.push({ scopes, service: form.get('service'), user: 'refresh-token' });
      const token = randomBytes(16).toString('hex');
      tokens.set(token, granted(scopes, USER));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token }));
      return;
    }
    const authorization = req.headers.authorization;
    let user: string | undefined;
    if (authorization?.startsWith('Basic ')) {
      const [name, password] = Buffer.from(authorization.slice(6), 'base64').toString().split(':');
      if (name !== USER || password !== PASSWORD) {
        res.writeHead(401).end('{"details":"bad login"}');
        return;
      }
      user = name;
    }
    const scopes = url.searchParams.getAll('scope');
    tokenRequests.push({ scopes, service: url.searchParams.get('service'), user });
    const grants = granted(scopes, user);
    if (scopes.length > 0 && grants.length === 0) {
      res.writeHead(401).end('{"details":"access denied"}');
      return;
    }
    const token = randomBytes(16).toString('hex');
    tokens.set(token, grants);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }));
  };

  const handleApi = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(path);
    const pullOnly = req.method === 'GET' || req.method === 'HEAD';
    const needed = match ? `repository:${match[1]}:${pullOnly ? 'pull' : 'pull,push'}` : undefined;
    const token = req.headers.authorization?.startsWith('Bearer ')
      ? req.headers.authorization.slice(7)
      : undefined;
    const grants = token === undefined ? undefined : tokens.get(token);
    const allowed =
      grants !== undefined &&
      (needed === undefined ||
        grants.some((g) => {
          const [, name, actions = ''] = g.split(':');
          return name === match?.[1] && (pullOnly ? actions.includes('pull') : actions.includes('push'));
        }));
    if (!allowed) {
      const scope = needed ? `,scope="${needed}"` : '';
      req.resume();
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${base}/token",service="berth-test"${scope}`,
          'content-type': 'application/json',
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const { authorization: _dropped, ...headers } = req.headers;
    const upstream = request(
      { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/token')) void handleToken(req, res);
    else handleApi(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    tokenRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('bearer token flow', () => {
  let registry: TestRegistry;
  let gate: Awaited<ReturnType<typeof startTokenGate>>;
  beforeAll(async () => {
    registry = await startRegistry();
    gate = await startTokenGate(registry);
  });
  afterAll(async () => {
    await gate?.stop();
    await registry?.stop();
  });

  it('pushes with credentials and pulls anonymously, one token per scope', async () => {
    const withLogin = new RegistryClient({
      credentials: staticCredentials({ [gate.host]: { username: USER, password: PASSWORD } }),
      retry: fast,
    });
    const anonymous = new RegistryClient({ credentials: async () => undefined, retry: fast });
    try {
      const image = makeTestImage(hostPlatform());
      const reference = `${gate.host}/public/app:v1`;
      await push(withLogin, reference, { manifest: image.manifest, blob: (d) => image.blobs.get(d.digest)! });
      const pushTokens = gate.tokenRequests.filter((t) =>
        t.scopes.includes('repository:public/app:pull,push'),
      );
      expect(pushTokens.length).toBe(1);
      expect(pushTokens[0]).toMatchObject({ user: USER, service: 'berth-test' });

      const before = gate.tokenRequests.length;
      const pulled = await pull(anonymous, reference, { openBlob: () => new MemorySink() });
      expect(pulled.manifest.digest).toBe(image.manifest.digest);
      expect(gate.tokenRequests.slice(before)).toEqual([
        { scopes: ['repository:public/app:pull'], service: 'berth-test', user: undefined },
      ]);
      expect(await anonymous.repository(`${gate.host}/public/app`).listTags()).toEqual(['v1']);
    } finally {
      await withLogin.close();
      await anonymous.close();
    }
  });

  it('exchanges an identity token (OAuth2 refresh token) for access tokens', async () => {
    const client = new RegistryClient({
      credentials: staticCredentials({ [gate.host]: { identityToken: REFRESH_TOKEN } }),
      retry: fast,
    });
    try {
      const image = makeTestImage(hostPlatform());
      const reference = `${gate.host}/private/refreshed:v1`;
      const before = gate.tokenRequests.length;
      await push(client, reference, { manifest: image.manifest, blob: (d) => image.blobs.get(d.digest)! });
      expect(gate.tokenRequests.slice(before)).toEqual([
        { scopes: ['repository:private/refreshed:pull,push'], service: 'berth-test', user: 'refresh-token' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('fails with EUNAUTHORIZED naming the token server when anonymous access is denied', async () => {
    const anonymous = new RegistryClient({ credentials: async () => undefined, retry: fast });
    try {
      const error = await anonymous
        .repository(`${gate.host}/private/app`)
        .getManifest('v1')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EUNAUTHORIZED', message: expect.stringContaining('/token') });
    } finally {
      await anonymous.close();
    }
  });

  it('fails with EUNAUTHORIZED for a wrong password', async () => {
    const wrong = new RegistryClient({
      credentials: staticCredentials({ [gate.host]: { username: USER, password: 'nope' } }),
      retry: fast,
    });
    try {
      await expect(wrong.repository(`${gate.host}/public/app`).listTags()).rejects.toMatchObject({
        code: 'EUNAUTHORIZED',
        status: 401,
      });
    } finally {
      await wrong.close();
    }
  });
});
