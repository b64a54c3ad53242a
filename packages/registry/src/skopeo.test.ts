// Interoperability with another registry client: skopeo (Debian) reads what berth pushed, and berth
// pulls what skopeo pushed, through the same docker-registry.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hostPlatform } from '@berth/oci-spec';
import { startRegistry, type TestRegistry } from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';
import { pull } from './pull.js';
import { push } from './push.js';
import { MemorySink, makeTestImage } from './test-support.js';

const run = promisify(execFile);

let registry: TestRegistry;
let client: RegistryClient;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ credentials: async () => undefined });
  dir = mkdtempSync(join(tmpdir(), 'berth-test-skopeo-'));
});

afterAll(async () => {
  await client?.close();
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('skopeo interoperability', () => {
  it('skopeo copies an image berth pushed, and berth pulls the copy skopeo pushed back', async () => {
    const image = makeTestImage(hostPlatform());
    const source = `${registry.host}/berth-test/skopeo-src:v1`;
    await push(client, source, { manifest: image.manifest, blob: (d) => image.blobs.get(d.digest)! });

    const layout = join(dir, 'layout');
    await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${source}`, `oci:${layout}:v1`], {
      env: { ...process.env, HOME: dir },
    });
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    // skopeo kept the manifest byte for byte: same digest in its layout.
    expect(index.manifests.map((m) => m.digest)).toEqual([image.manifest.digest]);

    const target = `${registry.host}/berth-test/skopeo-dst:v2`;
    await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${target}`], {
      env: { ...process.env, HOME: dir },
    });
    const blobs = new Map<string, MemorySink>();
    const pulled = await pull(client, target, {
      openBlob: (descriptor) => {
        const sink = new MemorySink();
        blobs.set(descriptor.digest, sink);
        return sink;
      },
    });
    expect(pulled.manifest.digest).toBe(image.manifest.digest);
    for (const [digest, bytes] of image.blobs) expect(blobs.get(digest)?.data.equals(bytes)).toBe(true);
  });
});
