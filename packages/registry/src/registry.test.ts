// Against Debian's docker-registry (no auth), directly and through the fault-injecting proxy.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPlatform, MediaTypes } from '@berth/oci-spec';
import {
  type FaultProxy,
  freePort,
  startFaultProxy,
  startRegistry,
  type TestRegistry,
} from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, Repository } from './client.js';
import { DigestMismatchError } from './errors.js';
import { Progress, type ProgressEvent } from './progress.js';
import { pull } from './pull.js';
import { push } from './push.js';
import {
  MemorySink,
  makeIndex,
  makeTestImage,
  sha256,
  smallLayerTarGz,
  type TestImage,
} from './test-support.js';
import { fileSource } from './upload.js';

let registry: TestRegistry;
let proxy: FaultProxy;
let client: RegistryClient;
const fast = { attempts: 5, baseDelayMs: 5, maxDelayMs: 20 };

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry);
  client = new RegistryClient({ credentials: async () => undefined, retry: fast });
});

afterAll(async () => {
  await client?.close();
  await proxy?.stop();
  await registry?.stop();
});

const repo = (host: string) => `${host}/berth-test/${randomBytes(4).toString('hex')}`;
/** The same repository, reached through the fault proxy. */
const via = (name: string) => `${proxy.host}/${name.slice(name.indexOf('/') + 1)}`;

async function pushImage(reference: string, image: TestImage, options: { chunkSize?: number } = {}) {
  return push(client, reference, {
    manifest: image.manifest,
    blob: (descriptor) => image.blobs.get(descriptor.digest)!,
    ...options,
  });
}

function sinks() {
  const map = new Map<string, MemorySink>();
  return {
    map,
    open: (descriptor: { digest: string }) => {
      const sink = new MemorySink();
      map.set(descriptor.digest, sink);
      return sink;
    },
  };
}

describe('registry client against docker-registry', () => {
  it('pings the registry over plain HTTP because it is loopback', async () => {
    expect(await client.ping(registry.host)).toEqual({ apiVersion: 'registry/2.0', authenticated: false });
  });

  it('pushes an image and pulls it back by tag and by digest, blobs verified, progress reported', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    const pushed = await pushImage(`${name}:v1`, image);
    expect(pushed.digest).toBe(image.manifest.digest);
    expect([...pushed.blobs.values()]).toEqual(['uploaded', 'uploaded', 'uploaded']);

    const progress = new Progress();
    const events: ProgressEvent[] = [];
    const collecting = (async () => {
      for await (const event of progress.events()) events.push(event);
    })();
    const byTag = sinks();
    const pulled = await pull(client, `${name}:v1`, { openBlob: byTag.open, progress });
    await collecting;
    expect(pulled.manifest.digest).toBe(image.manifest.digest);
    expect(pulled.index).toBeUndefined();
    for (const [digest, bytes] of image.blobs) {
      expect(byTag.map.get(digest)?.completed).toBe(true);
      expect(byTag.map.get(digest)?.data.equals(bytes)).toBe(true);
    }
    const total = [...image.blobs.values()].reduce((sum, b) => sum + b.length, 0);
    const last = events.filter((e) => e.type === 'overall').at(-1);
    expect(last).toEqual({ type: 'overall', current: total, total, blobsDone: 3, blobsTotal: 3 });
    const layer = image.layers[0]!.descriptor.digest;
    const layerEvents = events.filter((e) => e.type === 'blob' && e.digest === layer);
    expect(layerEvents.map((e) => (e.type === 'blob' ? e.status : ''))).toEqual(
      expect.arrayContaining(['waiting', 'downloading', 'verifying', 'done']),
    );

    const byDigest = sinks();
    const again = await pull(client, `${name}@${image.manifest.digest}`, { openBlob: byDigest.open });
    expect(again.manifest.bytes.equals(image.manifest.bytes)).toBe(true);
    expect(byDigest.map.size).toBe(3);
  });

  it('skips blobs the destination already has and reports them as existing', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const progress = new Progress();
    const opened: string[] = [];
    await pull(client, `${name}:v1`, {
      progress,
      openBlob: (descriptor, kind) => {
        if (kind === 'layer') return undefined;
        opened.push(descriptor.digest);
        return new MemorySink();
      },
    });
    expect(opened).toEqual([image.config.descriptor.digest]);
    expect(progress.blobs.filter((b) => b.status === 'exists')).toHaveLength(2);
  });

  it('pushes a two-platform index and pulls the host platform (or the one asked for)', async () => {
    const name = repo(registry.host);
    const host = hostPlatform();
    const other =
      host.architecture === 'arm64'
        ? { os: 'linux', architecture: 'amd64' }
        : { os: 'linux', architecture: 'arm64', variant: 'v8' };
    const mine = makeTestImage(host, 'mine');
    const theirs = makeTestImage(other, 'theirs');
    const index = makeIndex([mine, theirs]);
    const blobs = new Map([...mine.blobs, ...theirs.blobs]);
    const pushed = await push(client, `${name}:multi`, {
      manifest: index,
      children: [mine.manifest, theirs.manifest],
      blob: (descriptor) => blobs.get(descriptor.digest)!,
    });
    expect(pushed.digest).toBe(index.digest);

    const pulledHost = await pull(client, `${name}:multi`, { openBlob: () => new MemorySink() });
    expect(pulledHost.index?.digest).toBe(index.digest);
    expect(pulledHost.manifest.digest).toBe(mine.manifest.digest);

    const pulledOther = await pull(client, `${name}:multi`, {
      platform: other,
      openBlob: () => new MemorySink(),
    });
    expect(pulledOther.manifest.digest).toBe(theirs.manifest.digest);

    await expect(
      pull(client, `${name}:multi`, {
        platform: { os: 'linux', architecture: 's390x' },
        openBlob: () => new MemorySink(),
      }),
    ).rejects.toMatchObject({ code: 'ENOMATCHINGPLATFORM', message: expect.stringContaining('linux/s390x') });
  });

  it('pushes and pulls a Docker manifest list of Docker schema2 manifests, media types kept', async () => {
    const name = repo(registry.host);
    const host = hostPlatform();
    const image = makeTestImage(host, 'docker', undefined, 'docker');
    const list = makeIndex([image], 'docker');
    await push(client, `${name}:docker`, {
      manifest: list,
      children: [image.manifest],
      blob: (descriptor) => image.blobs.get(descriptor.digest)!,
    });
    const pulled = await pull(client, `${name}:docker`, { openBlob: () => new MemorySink() });
    expect(pulled.index).toMatchObject({ mediaType: MediaTypes.dockerManifestList, digest: list.digest });
    expect(pulled.manifest).toMatchObject({
      mediaType: MediaTypes.dockerManifest,
      digest: image.manifest.digest,
    });
    expect(pulled.layers.map((l) => l.mediaType)).toEqual([
      MediaTypes.dockerLayerGzip,
      MediaTypes.dockerLayerGzip,
    ]);
  });

  it('resumes an interrupted layer download with a Range request', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const layer = image.layers[0]!;
    proxy.cutBlob(layer.descriptor.digest, 100_000);
    const before = proxy.requests.length;
    const progress = new Progress();
    const sink = new MemorySink();
    const written = await client.repository(via(name)).fetchBlob(layer.descriptor, sink, { progress });
    expect(written).toBe(layer.bytes.length);
    expect(sink.data.equals(layer.bytes)).toBe(true);
    const gets = proxy.requests.slice(before).filter((r) => r.path.endsWith(layer.descriptor.digest));
    expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
    expect(gets[1]?.status).toBe(206);
    expect(progress.blobs[0]).toMatchObject({ status: 'done', current: layer.bytes.length });
  });

  it('resumes from a server that ignores Range by skipping the bytes it already has', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const layer = image.layers[0]!;
    proxy.cutBlob(layer.descriptor.digest, 70_000);
    proxy.ignoreRange(layer.descriptor.digest);
    const before = proxy.requests.length;
    const sink = new MemorySink();
    await client.repository(via(name)).fetchBlob(layer.descriptor, sink);
    expect(sink.data.equals(layer.bytes)).toBe(true);
    const gets = proxy.requests.slice(before);
    expect(gets.map((r) => [r.range, r.status])).toEqual([
      [undefined, 200],
      ['bytes=70000-', 200],
    ]);
  });

  it('continues a destination that already holds part of the blob (resume), digest over all of it', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const layer = image.layers[0]!;
    const have = 60_000;
    const resumed = async (prefix: Buffer) => {
      const sink = new MemorySink();
      let restarted = false;
      const before = proxy.requests.length;
      const written = await client.repository(via(name)).fetchBlob(layer.descriptor, sink, {
        resume: {
          offset: prefix.length,
          existing: async function* () {
            yield prefix;
          },
          restart: async () => {
            restarted = true;
          },
        },
      });
      const gets = proxy.requests.slice(before);
      return { sink, written, restarted, gets };
    };
    // The registry honours Range: only the rest crosses the wire.
    const ranged = await resumed(layer.bytes.subarray(0, have));
    expect(ranged.written).toBe(layer.bytes.length);
    expect(ranged.restarted).toBe(false);
    expect(Buffer.concat([layer.bytes.subarray(0, have), ranged.sink.data]).equals(layer.bytes)).toBe(true);
    expect(ranged.gets.map((r) => [r.range, r.status, r.bytes])).toEqual([
      [`bytes=${have}-`, 206, layer.bytes.length - have],
    ]);
    // It ignores Range: the destination is emptied and the whole blob written from byte 0.
    proxy.ignoreRange(layer.descriptor.digest);
    const whole = await resumed(layer.bytes.subarray(0, have));
    expect(whole.restarted).toBe(true);
    expect(whole.sink.data.equals(layer.bytes)).toBe(true);
    expect(whole.gets.map((r) => r.status)).toEqual([200]);
    // A corrupt prefix fails the digest check, which covers the resumed bytes too.
    const bad = Buffer.from(layer.bytes.subarray(0, have));
    bad[10] = (bad[10] ?? 0) ^ 0xff;
    await expect(resumed(bad)).rejects.toMatchObject({ code: 'EDIGESTMISMATCH' });
  });

  it('stops a pull when the caller aborts, destroying the open writables', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const controller = new AbortController();
    const opened: MemorySink[] = [];
    const error = await pull(client, `${name}:v1`, {
      signal: controller.signal,
      openBlob: (descriptor, kind) => {
        const sink = new MemorySink();
        opened.push(sink);
        // Abort as soon as the first layer starts to arrive.
        if (kind === 'layer' && descriptor.digest === image.layers[0]!.descriptor.digest) {
          const write = sink._write.bind(sink);
          sink._write = (chunk, encoding, callback) => {
            controller.abort();
            write(chunk, encoding, callback);
          };
        }
        return sink;
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EABORTED' });
    const layerSink = opened.find((s) => s.aborted !== undefined);
    expect(layerSink).toBeDefined();
    expect(layerSink?.completed).toBe(false);
  });

  it('rejects a corrupted blob with a digest error and aborts the destination', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const layer = image.layers[1]!;
    proxy.corruptBlob(layer.descriptor.digest, 10);
    const through = via(name);
    const opened = new Map<string, MemorySink>();
    const error = await pull(client, `${through}:v1`, {
      openBlob: (descriptor) => {
        const sink = new MemorySink();
        opened.set(descriptor.digest, sink);
        return sink;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect(error).toMatchObject({ code: 'EDIGESTMISMATCH', expected: layer.descriptor.digest });
    const sink = opened.get(layer.descriptor.digest)!;
    expect(sink.aborted).toBe(error);
    expect(sink.completed).toBe(false);
    expect(sink.chunks).toEqual([]);
    proxy.reset();
  });

  it('does not retry when the destination fails, and passes its error on', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const layer = image.layers[0]!.descriptor;
    const diskFull = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const sink = new MemorySink();
    sink._write = (_chunk, _encoding, callback) => callback(diskFull);
    const before = proxy.requests.length;
    await expect(client.repository(via(name)).fetchBlob(layer, sink)).rejects.toBe(diskFull);
    expect(proxy.requests.slice(before)).toHaveLength(1);
  });

  it('retries 5xx answers with back-off', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const through = via(name);
    proxy.failRequests({ path: /\/manifests\/v1$/ }, 503, 2);
    const fetched = await client.repository(through).getManifest('v1');
    expect(fetched.digest).toBe(image.manifest.digest);
    const path = `/v2/${through.slice(through.indexOf('/') + 1)}/manifests/v1`;
    expect(proxy.requests.filter((r) => r.path === path).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('mounts a blob from another repository instead of uploading it, and skips blobs already there', async () => {
    const source = repo(proxy.host);
    const target = repo(proxy.host);
    const data = randomBytes(50_000);
    const blob = { digest: sha256(data), size: data.length };
    expect(await client.repository(source).pushBlob(blob, data)).toBe('uploaded');
    const before = proxy.requests.length;
    const targetPath = target.slice(target.indexOf('/') + 1);
    const sourcePath = source.slice(source.indexOf('/') + 1);
    expect(await client.repository(target).pushBlob(blob, data, { mountFrom: sourcePath })).toBe('mounted');
    const sent = proxy.requests.slice(before).map((r) => `${r.method} ${r.status}`);
    expect(sent).toEqual(['HEAD 404', 'POST 201']);
    expect(proxy.requests.slice(before).every((r) => r.path.startsWith(`/v2/${targetPath}/`))).toBe(true);
    expect(await client.repository(target).pushBlob(blob, data)).toBe('exists');
    expect(await client.repository(target).statBlob(blob.digest)).toBe(data.length);
  });

  it('uploads in PATCH chunks and the blob reads back intact', async () => {
    const name = repo(proxy.host);
    const data = randomBytes(300_000);
    const blob = { digest: sha256(data), size: data.length };
    const before = proxy.requests.length;
    const progress = new Progress();
    expect(await client.repository(name).pushBlob(blob, data, { chunkSize: 64 * 1024, progress })).toBe(
      'uploaded',
    );
    const methods = proxy.requests.slice(before).map((r) => r.method);
    expect(methods).toEqual(['HEAD', 'POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PUT']);
    expect(progress.blobs[0]).toMatchObject({ direction: 'push', status: 'done', current: data.length });
    const sink = new MemorySink();
    await client.repository(name).fetchBlob(blob, sink);
    expect(sink.data.equals(data)).toBe(true);
  });

  it('uploads a file source in chunks (each range read from disk) and in one streamed PUT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-test-upload-'));
    try {
      const data = randomBytes(200_000);
      const file = join(dir, 'blob');
      writeFileSync(file, data);
      const blob = { digest: sha256(data), size: data.length };
      const name = repo(registry.host);
      expect(
        await client.repository(name).pushBlob(blob, await fileSource(file), { chunkSize: 70_000 }),
      ).toBe('uploaded');
      const sink = new MemorySink();
      await client.repository(name).fetchBlob(blob, sink);
      expect(sink.data.equals(data)).toBe(true);
      // And in one streamed PUT, with upload progress counted as the file is read.
      const other = repo(registry.host);
      const progress = new Progress();
      expect(await client.repository(other).pushBlob(blob, await fileSource(file), { progress })).toBe(
        'uploaded',
      );
      expect(progress.blobs[0]).toMatchObject({ direction: 'push', status: 'done', current: data.length });
      const sink2 = new MemorySink();
      await client.repository(other).fetchBlob(blob, sink2);
      expect(sink2.data.equals(data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('downloads no more blobs at once than the concurrency limit', async () => {
    const name = repo(registry.host);
    const layers = Array.from({ length: 6 }, (_, i) => smallLayerTarGz(`layer-${i}`));
    const image = makeTestImage(hostPlatform(), 'many', layers);
    await pushImage(`${name}:v1`, image);
    for (const concurrency of [1, 2]) {
      let active = 0;
      let peak = 0;
      await pull(client, `${name}:v1`, {
        concurrency,
        openBlob: () => {
          active++;
          peak = Math.max(peak, active);
          const sink = new MemorySink();
          sink.on('finish', () => active--);
          return sink;
        },
      });
      expect(peak).toBeLessThanOrEqual(concurrency);
    }
  });

  it('starts a chunked upload over when a PATCH breaks and the registry dropped the session', async () => {
    const name = repo(proxy.host);
    const data = randomBytes(200_000);
    const blob = { digest: sha256(data), size: data.length };
    const before = proxy.requests.length;
    proxy.cutUpload(30_000);
    expect(await client.repository(name).pushBlob(blob, data, { chunkSize: 64 * 1024 })).toBe('uploaded');
    const sent = proxy.requests.slice(before).map((r) => r.method);
    // HEAD, POST, broken PATCH, GET status (gone), then a fresh session: POST, 4 PATCHes, PUT.
    expect(sent).toEqual(['HEAD', 'POST', 'PATCH', 'GET', 'POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PUT']);
    const sink = new MemorySink();
    await client.repository(name).fetchBlob(blob, sink);
    expect(sink.data.equals(data)).toBe(true);
  });

  it('lists tags across pages', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    for (const tag of ['a', 'b', 'c']) await pushImage(`${name}:${tag}`, image);
    expect((await client.repository(name).listTags({ pageSize: 1 })).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the referrers tag schema up to date on push and reads it back when there is no referrers API', async () => {
    const name = repo(registry.host);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const repository = client.repository(name);
    const empty = Buffer.from('{}');
    const emptyDescriptor = {
      mediaType: MediaTypes.ociEmpty,
      digest: sha256(empty),
      size: 2,
    };
    await repository.pushBlob(emptyDescriptor, empty);
    expect(await repository.listReferrers(image.manifest.digest)).toEqual([]);
    const artifact = (artifactType: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaTypes.ociImageManifest,
          artifactType,
          config: emptyDescriptor,
          layers: [emptyDescriptor],
          subject: image.manifest.descriptor,
          annotations: { 'org.example.kind': artifactType },
        }),
      );
    const sbom = artifact('application/vnd.berth.test.sbom');
    const signature = artifact('application/vnd.berth.test.signature');
    const sbomDigest = await repository.putManifest(sha256(sbom), sbom, MediaTypes.ociImageManifest);
    const signatureDigest = await repository.putManifest(
      sha256(signature),
      signature,
      MediaTypes.ociImageManifest,
    );
    // Pushing the same one again does not list it twice.
    await repository.putManifest(sha256(sbom), sbom, MediaTypes.ociImageManifest);

    const found = await repository.listReferrers(image.manifest.digest);
    expect(found).toEqual([
      {
        mediaType: MediaTypes.ociImageManifest,
        digest: sbomDigest,
        size: sbom.length,
        artifactType: 'application/vnd.berth.test.sbom',
        annotations: { 'org.example.kind': 'application/vnd.berth.test.sbom' },
      },
      expect.objectContaining({
        digest: signatureDigest,
        artifactType: 'application/vnd.berth.test.signature',
      }),
    ]);
    expect((await repository.listTags()).sort()).toEqual([`sha256-${image.manifest.digest.slice(7)}`, 'v1']);
    const signatures = await repository.listReferrers(image.manifest.digest, {
      artifactType: 'application/vnd.berth.test.signature',
    });
    expect(signatures.map((d) => d.digest)).toEqual([signatureDigest]);
  });

  it('pulls through mirrors in order and falls back past a dead or failing mirror', async () => {
    const name = repo(registry.host);
    const path = name.slice(name.indexOf('/') + 1);
    const image = makeTestImage(hostPlatform());
    await pushImage(`${name}:v1`, image);
    const deadPort = await freePort();
    // The endpoint list pullEndpoints() makes for docker.io with two mirrors, aimed at local servers.
    const mirrored = (endpoints: { registry: string; baseUrl: string; mirror: boolean }[]) =>
      new Repository({
        transport: client.transport,
        registry: 'docker.io',
        repository: path,
        pullEndpoints: endpoints,
        pushEndpoint: endpoints.at(-1)!,
      });
    const dead = { registry: `127.0.0.1:${deadPort}`, baseUrl: `http://127.0.0.1:${deadPort}`, mirror: true };
    const mirror = { registry: proxy.host, baseUrl: proxy.url, mirror: true };
    const origin = { registry: registry.host, baseUrl: registry.url, mirror: false };
    const repository = mirrored([dead, mirror, origin]);

    const before = proxy.requests.length;
    const fetched = await repository.getManifest('v1');
    const sink = new MemorySink();
    await repository.fetchBlob(image.layers[1]!.descriptor, sink);
    expect(fetched.digest).toBe(image.manifest.digest);
    expect(sink.data.equals(image.layers[1]!.bytes)).toBe(true);
    expect(proxy.requests.slice(before).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'GET 200',
    ]);

    // A mirror that does not have the content (404) is skipped too.
    proxy.failRequests({ path: new RegExp(`^/v2/${path}/`) }, 404, 2);
    const again = await repository.getManifest('v1');
    const sink2 = new MemorySink();
    await repository.fetchBlob(image.layers[1]!.descriptor, sink2);
    expect(again.digest).toBe(image.manifest.digest);
    expect(sink2.data.equals(image.layers[1]!.bytes)).toBe(true);
    expect(proxy.requests.slice(-2).map((r) => r.status)).toEqual([404, 404]);
  });

  it('reports a missing manifest and a missing blob with their own codes', async () => {
    const repository = client.repository(repo(registry.host));
    await expect(repository.getManifest('nope')).rejects.toMatchObject({
      code: 'EMANIFESTUNKNOWN',
      status: 404,
    });
    const data = Buffer.from('missing');
    const sink = new MemorySink();
    await expect(
      repository.fetchBlob({ digest: sha256(data), size: data.length }, sink),
    ).rejects.toMatchObject({
      code: 'EBLOBUNKNOWN',
    });
    expect(sink.aborted).toBeDefined();
  });
});
