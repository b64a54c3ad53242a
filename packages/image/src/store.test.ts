import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { mountAll, unmount } from '@berth/overlay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isImageError } from './errors.js';
import { busyboxRootfsTar, makeStore, streamOf, type TestStore, tempDir } from './test-support.js';

let store: TestStore;

beforeEach(async () => {
  store = await makeStore();
});

afterEach(() => {
  store.close();
});

function snapshotKeys(): string[] {
  const keys: string[] = [];
  store.snapshotter.walk((info) => keys.push(info.name));
  return keys;
}

describe('ImageStore (local)', () => {
  it('imports the busybox rootfs as a one-layer image with tags, inspect and history', async () => {
    const { images } = store;
    const image = await images.importRootfs(streamOf(busyboxRootfsTar()), {
      ref: 'berth-test/busybox:1',
      changes: ['CMD ["sh"]', 'ENV A=b', 'EXPOSE 80'],
    });
    expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.repoTags).toEqual(['berth-test/busybox:1']);
    expect(image.config.config?.Cmd).toEqual(['sh']);
    expect(image.config.config?.Env).toEqual(['A=b']);
    expect(image.config.rootfs.diff_ids).toHaveLength(1);
    expect(image.chainId).toBe(image.config.rootfs.diff_ids[0]);
    expect(image.size).toBeGreaterThan(500_000);

    expect((await images.get('berth-test/busybox:1'))?.id).toBe(image.id);
    expect((await images.get(image.id.slice(7, 19)))?.id).toBe(image.id);
    expect(await images.get('berth-test/nothing')).toBeUndefined();

    await images.tag('berth-test/busybox:1', 'localhost:5000/other');
    const tagged = await images.get(image.id);
    expect(tagged?.repoTags.sort()).toEqual(['berth-test/busybox:1', 'localhost:5000/other:latest']);
    expect((await images.list()).map((r) => r.id)).toEqual([image.id]);
    expect(await images.list({ filters: { reference: ['berth-test/*'] } })).toHaveLength(1);
    expect(await images.list({ filters: { dangling: ['true'] } })).toHaveLength(0);

    const inspect = await images.inspect('berth-test/busybox:1');
    expect(inspect.Id).toBe(image.id);
    expect(inspect.RootFS.Layers).toEqual(image.config.rootfs.diff_ids);
    expect(inspect.Config.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(inspect.Os).toBe('linux');
    const history = await images.history(image.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ Id: image.id, Comment: 'Imported from -' });
    expect(history[0]!.Size).toBe(image.size);
  });

  it('prepares a rootfs that mounts with busybox in it, and commits changes as a new layer', async () => {
    const { images, snapshotter } = store;
    const base = await images.importRootfs(streamOf(busyboxRootfsTar()), { ref: 'berth-test/base' });
    const mounts = await images.prepareRootfs('berth-test/base', 'berth-test-ctr');
    const mnt = tempDir('mnt');
    try {
      mountAll(mounts, mnt.dir);
      try {
        expect(existsSync(join(mnt.dir, 'bin/busybox'))).toBe(true);
        mkdirSync(join(mnt.dir, 'app'));
        writeFileSync(join(mnt.dir, 'app/hello.txt'), 'hello from berth\n');
      } finally {
        unmount(mnt.dir);
      }
    } finally {
      mnt.remove();
    }
    const committed = await images.commit({
      parent: 'berth-test/base',
      snapshotKey: 'berth-test-ctr',
      config: { Cmd: ['cat', '/app/hello.txt'] },
      history: { createdBy: '/bin/sh -c echo hello > /app/hello.txt' },
      tags: ['berth-test/app:v1'],
    });
    const withEnv = await images.commit({
      parent: committed.id,
      history: { createdBy: 'ENV X=1', emptyLayer: true },
      changes: ['ENV X=1'],
      tags: ['berth-test/app:v2'],
    });
    snapshotter.remove('berth-test-ctr');
    expect(committed.config.rootfs.diff_ids).toHaveLength(2);
    expect(committed.config.rootfs.diff_ids[0]).toBe(base.config.rootfs.diff_ids[0]);
    expect(committed.config.config?.Cmd).toEqual(['cat', '/app/hello.txt']);
    expect(withEnv.config.rootfs.diff_ids).toEqual(committed.config.rootfs.diff_ids);
    expect(withEnv.chainId).toBe(committed.chainId);
    expect(withEnv.config.config?.Env).toEqual(['X=1']);
    const history = await images.history('berth-test/app:v2');
    expect(history.map((h) => h.CreatedBy)).toEqual([
      'ENV X=1',
      '/bin/sh -c echo hello > /app/hello.txt',
      '',
    ]);
    expect(history[0]!.Size).toBe(0);
    expect(history[1]!.Size).toBeGreaterThan(0);

    // The committed layer holds exactly the change.
    const view = await images.prepareRootfs('berth-test/app:v1', 'berth-test-view', { readonly: true });
    const mnt2 = tempDir('mnt');
    try {
      mountAll(view, mnt2.dir);
      try {
        expect(readFileSync(join(mnt2.dir, 'app/hello.txt'), 'utf8')).toBe('hello from berth\n');
        expect(existsSync(join(mnt2.dir, 'bin/busybox'))).toBe(true);
      } finally {
        unmount(mnt2.dir);
      }
    } finally {
      mnt2.remove();
      snapshotter.remove('berth-test-view');
    }
  });

  it('commits with reuseSnapshot: the active snapshot becomes the layer, nothing is unpacked again', async () => {
    const { images, snapshotter } = store;
    const base = await images.importRootfs(streamOf(busyboxRootfsTar()), { ref: 'berth-test/reuse' });
    await images.prepareRootfs(base.id, 'berth-test-step');
    writeFileSync(join(snapshotter.layout('berth-test-step').dir, 'step.txt'), 'step\n');
    const image = await images.commit({
      parent: base.id,
      snapshotKey: 'berth-test-step',
      history: { createdBy: 'RUN echo step > /step.txt' },
      reuseSnapshot: true,
    });
    expect(snapshotKeys().sort()).toEqual([base.chainId, image.chainId].sort());
    expect(snapshotter.stat(image.chainId!).parent).toBe(base.chainId);
    expect(readFileSync(join(snapshotter.layout(image.chainId!).dir, 'step.txt'), 'utf8')).toBe('step\n');
    expect(image.size).toBeGreaterThan(base.size);
    // The blob is the same layer a plain commit would write.
    await images.prepareRootfs(base.id, 'berth-test-step2');
    writeFileSync(join(snapshotter.layout('berth-test-step2').dir, 'step.txt'), 'step\n');
    const plain = await images.commit({
      parent: base.id,
      snapshotKey: 'berth-test-step2',
      history: { createdBy: 'x' },
    });
    snapshotter.remove('berth-test-step2');
    expect(plain.config.rootfs.diff_ids).toHaveLength(2);
  });

  it('remove untags, deletes, and GC leaves content and snapshots empty', async () => {
    const { images, content } = store;
    const image = await images.importRootfs(streamOf(busyboxRootfsTar()), { ref: 'berth-test/rm:a' });
    await images.tag('berth-test/rm:a', 'berth-test/rm:b');
    await images.tag('berth-test/rm:a', 'berth-test/other:c');
    expect(snapshotKeys()).toEqual([image.chainId]);

    // By name: only that tag goes while others are left.
    expect(await images.remove('berth-test/rm:b')).toEqual([{ Untagged: 'berth-test/rm:b' }]);
    // By id with tags in two repositories: refused without force.
    const conflict = await images.remove(image.id).catch((e: unknown) => e);
    expect(isImageError(conflict, 'CONFLICT')).toBe(true);
    // In use: refused without force.
    const inUse = await images
      .remove(image.id, { force: true, inUse: () => true, noPrune: true })
      .catch(() => 'x');
    expect(inUse).not.toBe('x');
    const again = await images.importRootfs(streamOf(busyboxRootfsTar()), { ref: 'berth-test/rm:a' });
    const used = await images.remove(again.id, { inUse: () => true }).catch((e: unknown) => e);
    expect(isImageError(used, 'CONFLICT')).toBe(true);
    const usedByName = await images.remove('berth-test/rm:a', { inUse: () => true }).catch((e: unknown) => e);
    expect(isImageError(usedByName, 'CONFLICT')).toBe(true);

    const result = await images.remove('berth-test/rm:a');
    expect(result).toContainEqual({ Untagged: 'berth-test/rm:a' });
    expect(result).toContainEqual({ Deleted: again.id });
    expect(await images.list()).toEqual([]);
    expect(await content.list()).toEqual([]);
    expect(snapshotKeys()).toEqual([]);
    const missing = await images.remove('berth-test/rm:a').catch((e: unknown) => e);
    expect(isImageError(missing, 'NOT_FOUND')).toBe(true);
  });

  it('imports a rootfs directory (the busybox fixture) that runs from a prepared snapshot', async () => {
    const { images, snapshotter } = store;
    const rootfs = tempDir('rootfs');
    try {
      makeBusyboxRootfs(join(rootfs.dir, 'rootfs'));
      const image = await images.importRootfs(join(rootfs.dir, 'rootfs'), {
        ref: 'berth-test/dir',
        changes: ['CMD ["sh"]'],
      });
      expect(image.size).toBeGreaterThan(500_000);
      await images.prepareRootfs(image.id, 'berth-test-dir');
      const dir = snapshotter.layout('berth-test-dir').parents[0]!;
      expect(statSync(join(dir, 'bin/busybox')).mode & 0o111).toBe(0o111);
      expect(lstatSync(join(dir, 'bin/sh')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(dir, 'etc/passwd'), 'utf8')).toContain('root:');
      snapshotter.remove('berth-test-dir');
    } finally {
      rootfs.remove();
    }
    const missing = await images.importRootfs(join(rootfs.dir, 'nothing')).catch((e: unknown) => e);
    expect(isImageError(missing, 'INVALID')).toBe(true);
  });

  it('prunes dangling images, and with all every image no container uses', async () => {
    const { images, content } = store;
    const kept = await images.importRootfs(streamOf(busyboxRootfsTar()), { ref: 'berth-test/prune:kept' });
    await images.tag(kept.id, 'berth-test/prune:old');
    const child = await images.commit({
      parent: kept.id,
      history: { createdBy: 'LABEL a=b', emptyLayer: true },
      changes: ['LABEL a=b'],
      tags: ['berth-test/prune:old'],
    });
    // The tag moved: the first image keeps one tag, nothing is dangling yet.
    expect((await images.get(kept.id))?.repoTags).toEqual(['berth-test/prune:kept']);
    await images.untag('berth-test/prune:old');
    expect((await images.list({ filters: { dangling: ['true'] } })).map((r) => r.id)).toEqual([child.id]);
    const pruned = await images.prune();
    expect(pruned.ImagesDeleted).toEqual([{ Deleted: child.id }]);
    expect(pruned.SpaceReclaimed).toBe(0); // the layer is the kept image's
    const all = await images.prune({ all: true, inUse: (id) => id === kept.id });
    expect(all.ImagesDeleted).toEqual([]);
    const everything = await images.prune({ all: true });
    expect(everything.ImagesDeleted).toContainEqual({ Deleted: kept.id });
    expect(everything.SpaceReclaimed).toBe(kept.size);
    expect(await content.list()).toEqual([]);
    expect(snapshotKeys()).toEqual([]);
  });

  it('refuses bad references and bad changes with INVALID', async () => {
    const { images } = store;
    const bad = await images.tag('x', 'UPPER/case').catch((e: unknown) => e);
    expect(isImageError(bad)).toBe(true);
    const change = await images
      .importRootfs(streamOf(busyboxRootfsTar()), { changes: ['RUN echo'] })
      .catch((e: unknown) => e);
    expect(isImageError(change, 'INVALID')).toBe(true);
  });
});
