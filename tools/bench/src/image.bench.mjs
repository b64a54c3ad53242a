// Image pull: berth's ImageStore.pull (download into the content store + unpack into overlay
// snapshots) of a 5-layer ~300 MiB image from a local docker-registry, cold (empty store) and warm
// (everything present), next to `skopeo copy docker://… oci:…` (download only) and skopeo followed by
// `umoci unpack` (download + unpack, the closest peer of a full pull), in one run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContentStore } from '../../../packages/content/dist/index.js';
import { ImageStore } from '../../../packages/image/dist/index.js';
import { OverlaySnapshotter } from '../../../packages/overlay/dist/index.js';
import { startRegistry } from '../../registry/dist/index.js';
import { printRatios } from './stats.mjs';

const MiB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), 'berth-bench-image-'));
const registry = await startRegistry();
const stores = [];

async function openStore(name) {
  const dir = join(work, name);
  const content = await ContentStore.open(join(dir, 'content'));
  const snapshotter = new OverlaySnapshotter(join(dir, 'snapshots'));
  const images = await ImageStore.open({
    root: join(dir, 'images'),
    content,
    snapshotter,
    registry: { credentials: async () => undefined },
  });
  const store = { dir, images, snapshotter };
  stores.push(store);
  return store;
}

function closeStore(store) {
  store.snapshotter.close();
  rmSync(store.dir, { recursive: true, force: true });
  stores.splice(stores.indexOf(store), 1);
}

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};

/** One layer directory: 1200 small files (text-like, compressible) + three 14 MiB binaries. */
function makeLayerDir(dir, index) {
  const words = ['berth', 'layer', 'image', 'container', 'overlay', 'registry', 'content', 'snapshot'];
  for (let d = 0; d < 40; d++) {
    const sub = join(dir, `usr/lib/pkg${index}/dir${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 30; f++) {
      const length = 2048 + (random() % 30000);
      let text = '';
      while (text.length < length) text += `${words[random() % words.length]} ${random()}\n`;
      writeFileSync(join(sub, `file${f}.txt`), text);
    }
  }
  const bin = Buffer.alloc(14 * MiB);
  for (let i = 0; i < bin.length; i += 4) bin.writeUInt32LE(random(), i);
  mkdirSync(join(dir, `opt/pkg${index}`), { recursive: true });
  for (let b = 0; b < 3; b++) {
    bin.writeUInt32LE(index * 10 + b, 0);
    writeFileSync(join(dir, `opt/pkg${index}/blob${b}.bin`), bin);
  }
}

function have(binary) {
  return spawnSync(binary, ['--version']).status === 0;
}

try {
  // 1. Build the image in a source store: five layers committed one on another, pushed once.
  const source = await openStore('source');
  let parent;
  for (let i = 0; i < 5; i++) {
    const key = `bench-layer-${i}`;
    const mounts = parent ? await source.images.prepareRootfs(parent, key) : source.snapshotter.prepare(key);
    void mounts;
    makeLayerDir(source.snapshotter.layout(key).dir, i);
    const record = await source.images.commit({
      ...(parent ? { parent } : {}),
      snapshotKey: key,
      history: { createdBy: `layer ${i}` },
    });
    source.snapshotter.remove(key);
    parent = record.id;
  }
  const name = `${registry.host}/berth-bench/image:v1`;
  await source.images.tag(parent, name);
  await source.images.push(name);
  const image = await source.images.get(name);
  const manifest = await source.images.manifest(image.id);
  const compressed = manifest.manifest.layers.reduce((sum, l) => sum + l.size, 0);
  console.log(
    `image: 5 layers, ${(image.size / MiB).toFixed(0)} MiB unpacked, ${(compressed / MiB).toFixed(0)} MiB gzip`,
  );
  closeStore(source);

  const skopeo = have('skopeo');
  const umoci = have('umoci');
  const rows = [
    { name: 'skopeo copy (download)', times: skopeo ? [] : undefined, skipped: 'skopeo not installed' },
    {
      name: 'skopeo + umoci unpack',
      times: skopeo && umoci ? [] : undefined,
      skipped: 'skopeo or umoci not installed',
    },
    { name: 'berth pull cold', times: [], note: 'download + unpack' },
    { name: '  of which download', times: [], note: 'until the last blob is verified' },
    { name: 'berth pull warm', times: [], note: 'all present: manifest only' },
  ];
  const runs = 3;
  for (let round = 0; round <= runs; round++) {
    const record = (row, ms) => {
      if (round > 0 && row.times) row.times.push(ms);
    };
    if (skopeo) {
      const layout = join(work, `oci-${round}`);
      let start = performance.now();
      execFileSync('skopeo', [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        `docker://${name}`,
        `oci:${layout}:v1`,
      ]);
      const copyMs = performance.now() - start;
      record(rows[0], copyMs);
      if (umoci) {
        start = performance.now();
        execFileSync('umoci', ['unpack', '--image', `${layout}:v1`, join(work, `bundle-${round}`)]);
        record(rows[1], copyMs + performance.now() - start);
      }
      rmSync(layout, { recursive: true, force: true });
      rmSync(join(work, `bundle-${round}`), { recursive: true, force: true });
    }
    const target = await openStore(`target-${round}`);
    let start = performance.now();
    let downloaded = 0;
    await target.images.pull(name, {
      onProgress: (event) => {
        if (event.type === 'overall' && event.blobsDone === event.blobsTotal) downloaded = performance.now();
      },
    });
    record(rows[2], performance.now() - start);
    record(rows[3], downloaded - start);
    start = performance.now();
    await target.images.pull(name);
    record(rows[4], performance.now() - start);
    closeStore(target);
  }
  printRatios(
    'pull a 5-layer ~300 MiB image from a local registry (median of 3)',
    rows,
    skopeo && umoci ? 'skopeo + umoci unpack' : 'berth pull cold',
  );
} finally {
  for (const store of [...stores]) closeStore(store);
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}
