// Pull and push against a real registry (Debian's docker-registry on 127.0.0.1) through the image
// store, with faults injected by @berth/test-registry's proxy.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ContentStore } from '@berth/content';
import { type DockerImageConfig, digestOf, hostPlatform, MediaTypes } from '@berth/oci-spec';
import { OverlaySnapshotter } from '@berth/overlay';
import { fileSource, push as pushToRegistry, RegistryClient, staticCredentials } from '@berth/registry';
import { type FaultProxy, startFaultProxy, startRegistry, type TestRegistry } from '@berth/test-registry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from './image-store.js';
import { dockerPullMessage } from './progress.js';
import { busyboxRootfsTar, makeStore, streamOf, type TestStore } from './test-support.js';
import type { ImageProgressEvent } from './transfer.js';

const fast = { attempts: 5, baseDelayMs: 5, maxDelayMs: 20 };
let registry: TestRegistry;
let proxy: FaultProxy;
const stores: TestStore[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry);
});

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

afterEach(() => {
  proxy.reset();
  for (const store of stores.splice(0)) store.close();
});

async function newStore(options: Parameters<typeof makeStore>[0] = {}): Promise<TestStore> {
  const store = await makeStore({ retry: fast, ...options });
  stores.push(store);
  return store;
}

/**
 * What a failed pull leaves in the ingests: only the partial downloads of blobs it did not finish
 * (kept for the next pull to resume; which ones depends on timing), never the corrupt one.
 */
function expectOnlyPartialDownloads(statuses: { ref: string; offset: number }[], corrupt?: string): void {
  for (const status of statuses) {
    expect(status.ref).toMatch(/^berth-image-pull-sha256:/);
    expect(status.offset).toBeGreaterThan(0);
    if (corrupt) expect(status.ref).not.toBe(`berth-image-pull-${corrupt}`);
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function repo(host: string): string {
  return `${host}/berth-test/img-${randomBytes(4).toString('hex')}`;
}

/** A store with the busybox fixture imported and pushed as `<name>:v1`. */
async function pushedBusybox(host = registry.host) {
  const source = await newStore();
  const name = repo(host);
  const image = await source.images.importRootfs(streamOf(busyboxRootfsTar()), {
    ref: `${name}:v1`,
    changes: ['CMD ["sh"]'],
  });
  const pushed = await source.images.push(`${name}:v1`);
  return { source, name, image, pushed };
}

function snapshotKeys(store: TestStore): string[] {
  const keys: string[] = [];
  store.snapshotter.walk((info) => keys.push(info.name));
  return keys.sort();
}

// Pushes and pulls of whole images through a real registry: a few seconds alone, near 20 s when CI
// runs ten suites at once, so the shared 30 s per test is too close to the edge.
describe('ImageStore with a registry', { timeout: 120_000 }, () => {
  it('pushes an imported busybox image and pulls it back by tag and by digest', async () => {
    const { name, image, pushed } = await pushedBusybox();
    expect(pushed.digest).toBe(image.target.digest);
    expect((await stores[0]!.images.get(image.id))?.repoDigests).toEqual([`${name}@${pushed.digest}`]);

    const target = await newStore();
    const events: ImageProgressEvent[] = [];
    const byTag = await target.images.pull(`${name}:v1`, { onProgress: (e) => events.push(e) });
    expect(byTag.id).toBe(image.id);
    expect(byTag.repoTags).toEqual([`${name}:v1`]);
    expect(byTag.repoDigests).toEqual([`${name}@${pushed.digest}`]);
    expect(byTag.chainId).toBe(image.chainId);
    expect(byTag.config.config?.Cmd).toEqual(['sh']);
    const layer = (await stores[0]!.images.manifest(image.id)).manifest.layers[0]!;
    const layerEvents = events.filter((e) => e.type === 'blob' && e.digest === layer.digest);
    expect(layerEvents.at(-1)).toMatchObject({ status: 'done', current: layer.size, total: layer.size });
    expect(events.some((e) => e.type === 'overall' && e.current === e.total)).toBe(true);
    expect(events.filter((e) => e.type === 'unpack').at(-1)).toMatchObject({ status: 'done' });
    const docker = events.map(dockerPullMessage).filter((m) => m !== undefined);
    expect(docker.map((m) => m.status)).toEqual(
      expect.arrayContaining(['Downloading', 'Download complete', 'Extracting', 'Pull complete']),
    );
    expect(new Set(docker.map((m) => m.id))).toEqual(new Set([layer.digest.slice(7, 19)]));

    // By digest into another store: no tag, the repo digest only.
    const other = await newStore();
    const byDigest = await other.images.pull(`${name}@${pushed.digest}`);
    expect(byDigest.id).toBe(image.id);
    expect(byDigest.repoTags).toEqual([]);
    expect(byDigest.repoDigests).toEqual([`${name}@${pushed.digest}`]);

    // A second pull has everything: blobs reported as existing, nothing unpacked again.
    const again: ImageProgressEvent[] = [];
    await target.images.pull(`${name}:v1`, { onProgress: (e) => again.push(e) });
    expect(
      again
        .filter((e) => e.type === 'blob')
        .every((e) => e.type !== 'blob' || e.status === 'exists' || e.status === 'waiting'),
    ).toBe(true);
    expect(again.filter((e) => e.type === 'unpack').map((e) => e.type === 'unpack' && e.status)).toEqual([
      'exists',
    ]);
    expect(snapshotKeys(target)).toEqual([image.chainId]);
  });

  it('pulls one image twice at once (one download, one unpack) and removes it without a trace', async () => {
    const { name, image } = await pushedBusybox();
    const target = await newStore();
    const before = proxy.requests.length;
    const through = name.replace(registry.host, proxy.host);
    const [a, b] = await Promise.all([
      target.images.pull(`${through}:v1`),
      target.images.pull(`${through}:v1`),
    ]);
    expect(a.id).toBe(image.id);
    expect(b.id).toBe(image.id);
    const layer = (await stores[0]!.images.manifest(image.id)).manifest.layers[0]!;
    const layerGets = proxy.requests
      .slice(before)
      .filter((r) => r.method === 'GET' && r.path.endsWith(layer.digest));
    expect(layerGets).toHaveLength(1);
    expect(snapshotKeys(target)).toEqual([image.chainId]);
    const removed = await target.images.remove(`${through}:v1`);
    expect(removed).toContainEqual({ Deleted: image.id });
    expect(await target.content.list()).toEqual([]);
    expect(snapshotKeys(target)).toEqual([]);
  });

  it('pulls the host platform from a multi-platform index (and another platform when asked)', async () => {
    const { source, name, image } = await pushedBusybox();
    // A second image for another platform, with its own small layer.
    const other = hostPlatform().architecture === 's390x' ? 'riscv64' : 's390x';
    const tar = Buffer.concat([Buffer.alloc(1024)]); // an empty tar: two zero blocks
    const layerBytes = gzipSync(tar);
    const layerDigest = digestOf(layerBytes);
    const config: DockerImageConfig = {
      architecture: other,
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
      config: { Cmd: ['true'] },
    };
    const writer = await source.content.writer({ ref: 'berth-test-layer', expected: layerDigest });
    await writer.write(layerBytes);
    await writer.commit();
    const foreign = await source.images.createImage({
      config,
      layers: [
        { descriptor: { mediaType: MediaTypes.ociLayerGzip, digest: layerDigest, size: layerBytes.length } },
      ],
      tags: [`${name}:foreign`],
    });
    const manifests = await Promise.all([image.id, foreign.id].map((id) => source.images.manifest(id)));
    const index = {
      schemaVersion: 2,
      mediaType: MediaTypes.ociImageIndex,
      manifests: [
        { ...foreign.target, platform: { os: 'linux', architecture: other } },
        { ...image.target, platform: hostPlatform() },
      ],
    };
    const indexBytes = Buffer.from(JSON.stringify(index));
    const client = new RegistryClient({ credentials: async () => undefined });
    try {
      await pushToRegistry(client, `${name}:multi`, {
        manifest: { bytes: indexBytes, mediaType: MediaTypes.ociImageIndex },
        children: manifests.map((m) => ({ bytes: m.bytes, mediaType: m.mediaType })),
        blob: (d) => fileSource(source.content.blobPath(d.digest)),
      });
    } finally {
      await client.close();
    }
    const target = await newStore();
    const pulled = await target.images.pull(`${name}:multi`);
    expect(pulled.id).toBe(image.id);
    expect(pulled.index).toBe(digestOf(indexBytes));
    expect(pulled.repoDigests).toEqual([`${name}@${digestOf(indexBytes)}`]);
    expect(pulled.config.architecture).toBe(hostPlatform().architecture);
    const foreignPulled = await target.images.pull(`${name}:multi`, {
      platform: { os: 'linux', architecture: other },
    });
    expect(foreignPulled.id).toBe(foreign.id);
    expect((await target.images.get(`${name}:multi`))?.id).toBe(foreign.id);
    expect((await target.images.get(image.id))?.repoTags).toEqual([]);
    // Both go, and with them the index, manifests, configs, layers and snapshots.
    await target.images.remove(foreign.id);
    await target.images.remove(image.id);
    expect(await target.content.list()).toEqual([]);
    expect(snapshotKeys(target)).toEqual([]);
  });

  it('resumes an interrupted layer download through the fault proxy', async () => {
    const { name, image } = await pushedBusybox();
    const layer = (await stores[0]!.images.manifest(image.id)).manifest.layers[0]!;
    const through = name.replace(registry.host, proxy.host);
    proxy.cutBlob(layer.digest, 200_000);
    const before = proxy.requests.length;
    const target = await newStore();
    const pulled = await target.images.pull(`${through}:v1`);
    expect(pulled.id).toBe(image.id);
    const gets = proxy.requests.slice(before).filter((r) => r.path.endsWith(layer.digest));
    expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=200000-']);
    expect(await target.content.statuses()).toEqual([]);
  });

  it('rejects a corrupted layer and leaves nothing in the store (layers unpacked early included)', async () => {
    const { source, name, image } = await pushedBusybox();
    // A second layer on top, so the first can be unpacked before the second turns out bad.
    await source.images.prepareRootfs(image.id, 'berth-test-top');
    writeFileSync(join(source.snapshotter.layout('berth-test-top').dir, 'top.bin'), randomBytes(300_000));
    const top = await source.images.commit({
      parent: image.id,
      snapshotKey: 'berth-test-top',
      history: { createdBy: 'top' },
      tags: [`${name}:v2`],
    });
    source.snapshotter.remove('berth-test-top');
    await source.images.push(`${name}:v2`);
    const layers = (await source.images.manifest(top.id)).manifest.layers;
    const through = name.replace(registry.host, proxy.host);
    for (const bad of [layers[1]!, layers[0]!]) {
      proxy.reset();
      proxy.corruptBlob(bad.digest, 10);
      const target = await newStore();
      const error = await target.images.pull(`${through}:v2`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EDIGESTMISMATCH' });
      expect(await target.images.list()).toEqual([]);
      expect(await target.content.list()).toEqual([]);
      expectOnlyPartialDownloads(await target.content.statuses(), bad.digest);
      expect(snapshotKeys(target)).toEqual([]);
    }
  });

  it('stops a pull when the caller aborts and leaves only partial downloads behind', async () => {
    const { name } = await pushedBusybox();
    const target = await newStore();
    const controller = new AbortController();
    const error = await target.images
      .pull(`${name}:v1`, {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'blob' && e.status === 'downloading') controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EABORTED' });
    expect(await target.images.list()).toEqual([]);
    expect(await target.content.list()).toEqual([]);
    expectOnlyPartialDownloads(await target.content.statuses());
    expect(snapshotKeys(target)).toEqual([]);
  });

  describe('a pull interrupted in a layer of some MiB', () => {
    const LAYER = 8 << 20;
    const CUT_AT = 4 << 20;

    /** A pushed image whose top layer is LAYER random bytes, and a store that got part of it. */
    async function interrupted() {
      const { source, name, image } = await pushedBusybox();
      await source.images.prepareRootfs(image.id, 'berth-test-big');
      writeFileSync(join(source.snapshotter.layout('berth-test-big').dir, 'big.bin'), randomBytes(LAYER));
      const top = await source.images.commit({
        parent: image.id,
        snapshotKey: 'berth-test-big',
        history: { createdBy: 'big' },
        tags: [`${name}:big`],
      });
      source.snapshotter.remove('berth-test-big');
      await source.images.push(`${name}:big`);
      const layer = (await source.images.manifest(top.id)).manifest.layers[1]!;
      const through = `${name.replace(registry.host, proxy.host)}:big`;
      const target = await newStore();
      const controller = new AbortController();
      const error = await target.images
        .pull(through, {
          signal: controller.signal,
          onProgress: (e) => {
            if (e.type === 'blob' && e.digest === layer.digest && e.current >= CUT_AT) controller.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EABORTED' });
      const partial = (await target.content.statuses()).find((s) => s.expected === layer.digest);
      // Less than CUT_AT reached the disk: the writable's buffer (1 MiB at most) is dropped with it.
      expect(partial?.offset).toBeGreaterThanOrEqual(CUT_AT - (2 << 20));
      expect(partial!.offset).toBeLessThan(layer.size);
      return { top, layer, through, target, offset: partial!.offset };
    }

    /** A new content store, snapshotter and image store on the interrupted store's content root. */
    async function restarted(target: TestStore) {
      const content = await ContentStore.open(join(target.dir, 'content'));
      const snapshotter = new OverlaySnapshotter(
        join(target.dir, `snapshots-${randomBytes(3).toString('hex')}`),
      );
      const images = await ImageStore.open({
        root: join(target.dir, `images-${randomBytes(3).toString('hex')}`),
        content,
        snapshotter,
        registry: { credentials: async () => undefined, retry: fast },
      });
      return { content, snapshotter, images };
    }

    function layerGets(from: number, digest: string) {
      return proxy.requests.slice(from).filter((r) => r.method === 'GET' && r.path.endsWith(digest));
    }

    it('continues from the ingest with a Range request in a new process', async () => {
      const { top, layer, through, target, offset } = await interrupted();
      const again = await restarted(target);
      try {
        const before = proxy.requests.length;
        const pulled = await again.images.pull(through);
        expect(pulled.id).toBe(top.id);
        expect(pulled.chainId).toBe(top.chainId);
        const gets = layerGets(before, layer.digest);
        expect(gets.map((r) => [r.range, r.status])).toEqual([[`bytes=${offset}-`, 206]]);
        expect(gets[0]!.bytes).toBe(layer.size - offset);
        expect(await again.content.statuses()).toEqual([]);
      } finally {
        again.snapshotter.close();
      }
    });

    it('starts over cleanly when the registry ignores Range', async () => {
      const { top, layer, through, target } = await interrupted();
      const again = await restarted(target);
      try {
        proxy.ignoreRange(layer.digest);
        const before = proxy.requests.length;
        const pulled = await again.images.pull(through);
        expect(pulled.id).toBe(top.id);
        const gets = layerGets(before, layer.digest);
        expect(gets.map((r) => r.status)).toEqual([200]);
        expect(gets[0]!.bytes).toBe(layer.size);
        expect(await again.content.statuses()).toEqual([]);
      } finally {
        again.snapshotter.close();
      }
    });

    it('drops a corrupted partial at the digest check; the next pull starts from byte 0', async () => {
      const { top, layer, through, target } = await interrupted();
      const data = join(
        target.dir,
        'content',
        'ingest',
        sha256Hex(`berth-image-pull-${layer.digest}`),
        'data',
      );
      const fd = openSync(data, 'r+');
      try {
        writeSync(fd, Buffer.from('corrupt'), 0, 7, 1000);
      } finally {
        closeSync(fd);
      }
      const again = await restarted(target);
      try {
        const error = await again.images.pull(through).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'EDIGESTMISMATCH' });
        expect(await again.content.statuses()).toEqual([]);
        const before = proxy.requests.length;
        const pulled = await again.images.pull(through);
        expect(pulled.id).toBe(top.id);
        expect(layerGets(before, layer.digest).map((r) => r.range)).toEqual([undefined]);
      } finally {
        again.snapshotter.close();
      }
    });
  });

  it('refuses a layer whose content is not the DiffID its config promises, leaving nothing', async () => {
    const { source, name, image } = await pushedBusybox();
    const { manifest } = await source.images.manifest(image.id);
    const layer = manifest.layers[0]!;
    const config = Buffer.from(
      JSON.stringify({
        architecture: image.config.architecture,
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [digestOf('not this layer')] },
      }),
    );
    const configDescriptor = {
      mediaType: MediaTypes.ociImageConfig,
      digest: digestOf(config),
      size: config.length,
    };
    const bad = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaTypes.ociImageManifest,
        config: configDescriptor,
        layers: [layer],
      }),
    );
    const client = new RegistryClient({ credentials: async () => undefined });
    try {
      await pushToRegistry(client, `${name}:bad`, {
        manifest: { bytes: bad, mediaType: MediaTypes.ociImageManifest },
        blob: (d) =>
          d.digest === configDescriptor.digest ? config : fileSource(source.content.blobPath(d.digest)),
      });
    } finally {
      await client.close();
    }
    const target = await newStore();
    const error = await target.images.pull(`${name}:bad`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EDIGESTMISMATCH' });
    expect(await target.images.list()).toEqual([]);
    expect(await target.content.list()).toEqual([]);
    expect(snapshotKeys(target)).toEqual([]);
  });

  it('pushes and pulls with htpasswd basic auth, and fails clearly without a login', async () => {
    const secured = await startRegistry({ auth: { username: 'berth', password: 's3cret' } });
    try {
      const credentials = staticCredentials({ [secured.host]: { username: 'berth', password: 's3cret' } });
      const source = await newStore({ credentials });
      const name = repo(secured.host);
      const image = await source.images.importRootfs(streamOf(busyboxRootfsTar()), { ref: `${name}:v1` });
      const progress: string[] = [];
      await source.images.push(`${name}:v1`, {
        onProgress: (e) => {
          if (e.type === 'blob') progress.push(e.status);
        },
      });
      expect(progress).toContain('done');
      const target = await newStore({ credentials });
      expect((await target.images.pull(`${name}:v1`)).id).toBe(image.id);
      const anonymous = await newStore();
      const error = await anonymous.images.pull(`${name}:v1`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EUNAUTHORIZED' });
      // A login for one pull (Docker's X-Registry-Auth), as the daemon passes it on.
      const auth = { username: 'berth', password: 's3cret', serveraddress: secured.host };
      expect((await anonymous.images.pull(`${name}:v1`, { auth })).id).toBe(image.id);
    } finally {
      await secured.stop();
    }
  });
});
