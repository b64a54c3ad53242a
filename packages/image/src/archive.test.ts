// Docker archives and OCI layouts: round trips through berth, and interop with skopeo and umoci.
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isImageError } from './errors.js';
import type { ImageRecord } from './store.js';
import { busyboxRootfsTar, makeStore, run, streamOf, type TestStore, tempDir } from './test-support.js';

let source: TestStore;
let work: { dir: string; remove(): void };
const extra: TestStore[] = [];
let busybox: ImageRecord;
let app: ImageRecord;

beforeEach(async () => {
  source = await makeStore();
  work = tempDir('archive');
  busybox = await source.images.importRootfs(streamOf(busyboxRootfsTar()), {
    ref: 'berth-test/busybox:1',
    changes: ['CMD ["sh"]'],
  });
  // A second image sharing the busybox layer, with one more layer.
  source.snapshotter.prepare('berth-test-app', busybox.chainId);
  const upper = source.snapshotter.layout('berth-test-app').dir;
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(upper, 'app'));
  writeFileSync(join(upper, 'app/hello.txt'), 'hello\n');
  app = await source.images.commit({
    parent: busybox.id,
    snapshotKey: 'berth-test-app',
    history: { createdBy: 'COPY hello.txt /app/' },
    tags: ['berth-test/app:v1'],
  });
  source.snapshotter.remove('berth-test-app');
});

afterEach(() => {
  source.close();
  for (const store of extra.splice(0)) store.close();
  work.remove();
});

async function fresh(): Promise<TestStore> {
  const store = await makeStore();
  extra.push(store);
  return store;
}

async function saveTo(path: string, names: string[]): Promise<void> {
  const out = createWriteStream(path);
  await source.images.save(names, out);
  await finished(out);
}

describe('Docker archives', () => {
  it('save → load keeps ids, tags and shared layers; skopeo reads the archive', async () => {
    const path = join(work.dir, 'images.tar');
    await saveTo(path, ['berth-test/busybox:1', 'berth-test/app:v1']);
    const inspected = JSON.parse(
      run('skopeo', ['inspect', '--raw', `docker-archive:${path}:berth-test/app:v1`]),
    ) as { layers: unknown[] };
    expect(inspected.layers).toHaveLength(2);
    const listing = run('tar', ['-tf', path]).split('\n');
    expect(listing).toEqual(
      expect.arrayContaining(['manifest.json', 'repositories', 'index.json', 'oci-layout']),
    );

    const target = await fresh();
    const result = await target.images.load(createReadStream(path));
    expect(result.images.map((i) => i.id).sort()).toEqual([busybox.id, app.id].sort());
    expect((await target.images.get('berth-test/app:v1'))?.id).toBe(app.id);
    expect((await target.images.get('berth-test/busybox:1'))?.id).toBe(busybox.id);
    const keys: string[] = [];
    target.snapshotter.walk((info) => keys.push(info.name));
    expect(keys.sort()).toEqual([busybox.chainId, app.chainId].sort());
  });

  it('saves an image by id without names, and loads a gzip-compressed archive', async () => {
    const path = join(work.dir, 'by-id.tar');
    await saveTo(path, [app.id.slice(7, 19)]);
    const manifest = JSON.parse(run('tar', ['-xOf', path, 'manifest.json'])) as { RepoTags: string[] }[];
    expect(manifest).toEqual([expect.objectContaining({ RepoTags: [] })]);
    const gz = join(work.dir, 'by-id.tar.gz');
    run('sh', ['-c', `gzip -c ${path} > ${gz}`]);
    const target = await fresh();
    const result = await target.images.load(createReadStream(gz));
    expect(result.images).toEqual([{ id: app.id, names: [] }]);
    expect((await target.images.list({ filters: { dangling: ['true'] } })).map((r) => r.id)).toEqual([
      app.id,
    ]);
  });

  it('loads the legacy archive skopeo writes (uncompressed layer.tar files)', async () => {
    const layout = join(work.dir, 'layout');
    await source.images.exportOciLayout('berth-test/app:v1', layout);
    const path = join(work.dir, 'skopeo.tar');
    run('skopeo', ['copy', `oci:${layout}:v1`, `docker-archive:${path}:berth-test/from-skopeo:v3`]);
    const target = await fresh();
    const result = await target.images.load(createReadStream(path));
    expect(result.images).toEqual([{ id: app.id, names: ['berth-test/from-skopeo:v3'] }]);
    const loaded = await target.images.get('berth-test/from-skopeo:v3');
    expect(loaded?.chainId).toBe(app.chainId);
  });

  it('refuses a broken archive with INVALID and keeps nothing of it', async () => {
    const target = await fresh();
    const error = await target.images
      .load(Readable.from([Buffer.from('not a tar at all')]))
      .catch((e: unknown) => e);
    expect(isImageError(error, 'INVALID')).toBe(true);
    const path = join(work.dir, 'images.tar');
    await saveTo(path, ['berth-test/app:v1']);
    // Cut the archive short: the load fails and the store stays empty.
    const bytes = readFileSync(path);
    const cut = await target.images
      .load(Readable.from([bytes.subarray(0, bytes.length >> 1)]))
      .catch((e: unknown) => e);
    expect(isImageError(cut)).toBe(true);
    expect(await target.images.list()).toEqual([]);
    expect(await target.content.list()).toEqual([]);
  });
});

function tarOf(
  entries: { name: string; data?: string; type?: 'file' | 'symlink'; linkname?: string }[],
): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname ?? '' });
    else pack.entry({ name: e.name }, e.data ?? '');
  }
  pack.finalize();
  return buffer(pack as unknown as Readable);
}

describe('hostile archives', () => {
  it('refuses entries and links that lead outside the archive, writing nothing outside', async () => {
    const target = await fresh();
    for (const entries of [
      [{ name: '../berth-test-evil', data: 'x' }],
      [{ name: '/tmp/berth-test-evil', data: 'x' }],
      [{ name: 'manifest.json', type: 'symlink' as const, linkname: '../../../../../../etc/passwd' }],
    ]) {
      const error = await target.images.load(Readable.from([await tarOf(entries)])).catch((e: unknown) => e);
      expect(isImageError(error, 'INVALID')).toBe(true);
    }
    expect(existsSync(join(target.dir, 'images', 'berth-test-evil'))).toBe(false);
    expect(await target.images.list()).toEqual([]);
  });
});

describe('OCI image layouts', () => {
  it('skopeo inspect and umoci ls/unpack read the layout berth writes', async () => {
    const layout = join(work.dir, 'layout');
    await source.images.exportOciLayout(['berth-test/busybox:1', 'berth-test/app:v1'], layout);
    const inspected = JSON.parse(run('skopeo', ['inspect', `oci:${layout}:v1`])) as {
      Digest: string;
      Layers: string[];
    };
    expect(inspected.Digest).toBe(app.target.digest);
    expect(inspected.Layers).toHaveLength(2);
    const tags = run('umoci', ['ls', '--layout', layout]).trim().split('\n').sort();
    expect(tags).toEqual(['1', 'v1']);
    const bundle = join(work.dir, 'bundle');
    run('umoci', ['unpack', '--image', `${layout}:v1`, bundle]);
    expect(existsSync(join(bundle, 'rootfs/bin/busybox'))).toBe(true);
    expect(readFileSync(join(bundle, 'rootfs/app/hello.txt'), 'utf8')).toBe('hello\n');
  });

  it('loads a layout skopeo copied (by directory) and a layout tar berth wrote', async () => {
    const layout = join(work.dir, 'layout');
    await source.images.exportOciLayout('berth-test/app:v1', layout);
    const copied = join(work.dir, 'copied');
    run('skopeo', ['copy', `oci:${layout}:v1`, `oci:${copied}:v2`]);
    const target = await fresh();
    const result = await target.images.loadOciLayout(copied, { name: 'berth-test/copied' });
    expect(result.images).toEqual([{ id: app.id, names: ['berth-test/copied:v2'] }]);
    expect((await target.images.get('berth-test/copied:v2'))?.chainId).toBe(app.chainId);

    // skopeo's oci-archive (an OCI layout tar) loads through docker load's path too.
    const archive = join(work.dir, 'skopeo-oci.tar');
    run('skopeo', ['copy', `oci:${layout}:v1`, `oci-archive:${archive}:v1`]);
    const fromArchive = await (await fresh()).images.load(createReadStream(archive));
    expect(fromArchive.images).toEqual([{ id: app.id, names: [] }]);

    const tarPath = join(work.dir, 'layout.tar');
    const out = createWriteStream(tarPath);
    await source.images.exportOciLayout('berth-test/busybox:1', out);
    await finished(out);
    const fromTar = await (await fresh()).images.loadOciLayout(createReadStream(tarPath));
    expect(fromTar.images).toEqual([{ id: busybox.id, names: ['berth-test/busybox:1'] }]);
  });
});
