// insecure-registries entries, as Docker treats them: https without certificate checks, and plain
// http when TLS fails. Loopback is always plain http, so these servers listen on a non-loopback
// address of this machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';

const address = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;

let dir: string;
let tls: { key: Buffer; cert: Buffer };
const servers: Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-tls-'));
  const keyout = join(dir, 'key.pem');
  const out = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=berth-test',
      '-keyout',
      keyout,
      '-out',
      out,
    ],
    { stdio: 'ignore' },
  );
  tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
});

afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function answerV2(seen: string[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
  };
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return `${address}:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(address === undefined)('insecure registries', () => {
  it('talk https without checking a self-signed certificate', async () => {
    const seen: string[] = [];
    const host = await listen(createHttpsServer(tls, answerV2(seen)));
    const client = new RegistryClient({ credentials: async () => undefined, insecureRegistries: [host] });
    try {
      expect(await client.ping(host)).toEqual({ apiVersion: 'registry/2.0', authenticated: false });
      expect(seen).toEqual(['/v2/', '/v2/']); // the scheme probe, then the ping
    } finally {
      await client.close();
    }
  });

  it('fall back to plain http when TLS fails', async () => {
    const seen: string[] = [];
    const host = await listen(createHttpServer(answerV2(seen)));
    const client = new RegistryClient({ credentials: async () => undefined, insecureRegistries: [host] });
    try {
      expect(await client.ping(host)).toEqual({ apiVersion: 'registry/2.0', authenticated: false });
      expect(await client.ping(host)).toEqual({ apiVersion: 'registry/2.0', authenticated: false });
      expect(seen).toEqual(['/v2/', '/v2/']);
    } finally {
      await client.close();
    }
  });

  it('are the only non-loopback registries whose certificate goes unchecked', async () => {
    const seen: string[] = [];
    const host = await listen(createHttpsServer(tls, answerV2(seen)));
    const client = new RegistryClient({
      credentials: async () => undefined,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    try {
      await expect(client.ping(host)).rejects.toMatchObject({ code: 'ENETWORK' });
      expect(seen).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
