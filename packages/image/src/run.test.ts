// An imported image runs: its prepared rootfs, mounted with overlayfs, is the root of a real
// container started with runc (the reference runtime here), as the daemon will start it with berth's.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec } from '@berth/oci-spec';
import { mountAll, unmount } from '@berth/overlay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeStore, type TestStore, tempDir } from './test-support.js';

let store: TestStore;
let work: { dir: string; remove(): void };

beforeEach(async () => {
  store = await makeStore();
  work = tempDir('run');
});

afterEach(() => {
  store.close();
  work.remove();
});

describe('running an image', () => {
  it('a container runs from the imported busybox fixture with the image config', async () => {
    const { images, snapshotter } = store;
    makeBusyboxRootfs(join(work.dir, 'fixture'));
    const image = await images.importRootfs(join(work.dir, 'fixture'), {
      ref: 'berth-test/busybox',
      changes: ['ENV GREETING=hello-from-berth', 'CMD ["/bin/sh", "-c", "echo $GREETING; ls /bin/busybox"]'],
    });
    const id = `berth-test-image-${randomBytes(4).toString('hex')}`;
    const bundle = join(work.dir, 'bundle');
    const rootfs = join(bundle, 'rootfs');
    mkdirSync(rootfs, { recursive: true });
    mountAll(await images.prepareRootfs(image.id, id), rootfs);
    try {
      const spec = defaultSpec();
      spec.process!.terminal = false;
      spec.process!.args = image.config.config!.Cmd!;
      spec.process!.env = [...(spec.process!.env ?? []), ...(image.config.config!.Env ?? [])];
      spec.hostname = id;
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
      const result = spawnSync('runc', ['run', '--bundle', bundle, id], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('hello-from-berth\n/bin/busybox\n');
      expect(result.status).toBe(0);
    } finally {
      spawnSync('runc', ['delete', '--force', id]);
      unmount(rootfs);
      snapshotter.remove(id);
    }
  });
});
