// Redirects and credentials: a blob redirected to another origin (object storage) is fetched there
// without the registry's Authorization header, as Docker does.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';
import { staticCredentials } from './credentials.js';
import { MemorySink, sha256 } from './test-support.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Transport', () => {
  it('follows a blob redirect to another origin without the Authorization header', async () => {
    const data = randomBytes(10_000);
    const digest = sha256(data);
    const storageSaw: (string | undefined)[] = [];
    const storage = await serve((req, res) => {
      storageSaw.push(req.headers.authorization);
      res.writeHead(200, { 'content-length': String(data.length) }).end(data);
    });
    const registrySaw: (string | undefined)[] = [];
    const registry = await serve((req, res) => {
      registrySaw.push(req.headers.authorization);
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="berth-test"' }).end();
        return;
      }
      res.writeHead(307, { location: `http://${storage}/blobs/${digest}?signature=abc` }).end();
    });
    const client = new RegistryClient({
      credentials: staticCredentials({ [registry]: { username: 'u', password: 'p' } }),
      retry: { baseDelayMs: 1 },
    });
    try {
      const sink = new MemorySink();
      await client.repository(`${registry}/berth/redirect`).fetchBlob({ digest, size: data.length }, sink);
      expect(sink.data.equals(data)).toBe(true);
      expect(registrySaw).toEqual([undefined, `Basic ${Buffer.from('u:p').toString('base64')}`]);
      expect(storageSaw).toEqual([undefined]);
    } finally {
      await client.close();
    }
  });

  it('gives up after the configured attempts with the last status as the error', async () => {
    let calls = 0;
    const registry = await serve((_req, res) => {
      calls++;
      res.writeHead(502).end();
    });
    const client = new RegistryClient({
      credentials: async () => undefined,
      retry: { attempts: 3, baseDelayMs: 1 },
    });
    try {
      await expect(client.repository(`${registry}/berth/down`).getManifest('v1')).rejects.toMatchObject({
        code: 'EREGISTRYHTTP',
        status: 502,
      });
      expect(calls).toBe(3);
    } finally {
      await client.close();
    }
  });
});
