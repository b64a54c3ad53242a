import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFaultProxy } from './proxy.js';
import { startRegistry } from './registry.js';

async function pushBlob(base: string, repo: string, data: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const post = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await post.arrayBuffer();
  const location = new URL(post.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: data });
  await put.arrayBuffer();
  expect(put.status).toBe(201);
  return digest;
}

describe('startRegistry', () => {
  it('serves /v2/ without auth and removes its dir and process on stop', async () => {
    const registry = await startRegistry();
    try {
      const response = await fetch(`${registry.url}/v2/`);
      expect(response.status).toBe(200);
      expect(existsSync(registry.dir)).toBe(true);
    } finally {
      await registry.stop();
    }
    expect(existsSync(registry.dir)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('asks for basic auth with htpasswd and accepts the right password only', async () => {
    const registry = await startRegistry({ auth: { username: 'berth', password: 's3cret' } });
    try {
      const anonymous = await fetch(`${registry.url}/v2/`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="berth-test"/);
      const good = await fetch(`${registry.url}/v2/`, {
        headers: { authorization: `Basic ${Buffer.from('berth:s3cret').toString('base64')}` },
      });
      expect(good.status).toBe(200);
      const bad = await fetch(`${registry.url}/v2/`, {
        headers: { authorization: `Basic ${Buffer.from('berth:wrong').toString('base64')}` },
      });
      expect(bad.status).toBe(401);
    } finally {
      await registry.stop();
    }
  });
});

describe('startFaultProxy', () => {
  it('forwards, flips a byte of a blob, cuts a blob midway and injects statuses', async () => {
    const registry = await startRegistry();
    const proxy = await startFaultProxy(registry);
    try {
      const data = Buffer.alloc(64 * 1024, 7);
      const digest = await pushBlob(proxy.url, 'berth/proxy', data);
      const blobUrl = `${proxy.url}/v2/berth/proxy/blobs/${digest}`;

      const plain = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
      expect(plain.equals(data)).toBe(true);

      proxy.corruptBlob(digest);
      const corrupt = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
      expect(corrupt.length).toBe(data.length);
      expect(corrupt.equals(data)).toBe(false);

      proxy.cutBlob(digest, 1000);
      const cut = await fetch(blobUrl);
      await expect(cut.arrayBuffer()).rejects.toThrow();

      proxy.failRequests({ path: /\/blobs\// }, 503);
      expect((await fetch(blobUrl)).status).toBe(503);
      expect((await fetch(blobUrl)).status).toBe(200);
      expect(proxy.requests.some((r) => r.status === 503)).toBe(true);
    } finally {
      await proxy.stop();
      await registry.stop();
    }
  });
});
