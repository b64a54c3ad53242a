// A container whose rootfs is an overlay snapshot, and garbage collection over the real content store
// and snapshotter: images, containers and leases keep what they name; the rest goes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentStore } from '@berth/content';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { OverlaySnapshotter } from '@berth/overlay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;
let sup: Supervisor;
let sn: OverlaySnapshotter;

beforeEach(async () => {
  world = makeWorld();
  sn = new OverlaySnapshotter(join(world.dir, 'snapshots'));
  const content = await ContentStore.open(join(world.dir, 'content'));
  sup = await world.open({ snapshotter: sn, content });
});

afterEach(async () => {
  await world.cleanup();
  sn.close();
});

describe('snapshots and gc', () => {
  it('runs a task on the container snapshot; writes land in its upper dir; gc keeps what is referenced', async () => {
    // a committed "image layer" with busybox, and the container's writable snapshot on it
    const base = `base-${uniqueId()}`;
    await sup.snapshots.prepare(`${base}-extract`);
    makeBusyboxRootfs(sn.layout(`${base}-extract`).dir);
    await sup.snapshots.commit(base, `${base}-extract`);
    const id = uniqueId();
    await sup.snapshots.prepare(`${id}-rw`, base);
    const spec = world.spec(['sh', '-c', 'echo hello > /written-by-task']);
    spec.root = { path: 'rootfs' };
    const c = await sup.containers.create('default', { id, spec, snapshotKey: `${id}-rw` });
    expect(c.snapshotter).toBe(sn.name);
    await sup.tasks.create('default', id);
    await sup.tasks.start('default', id);
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
    await sup.tasks.delete('default', id);
    expect(readFileSync(join(sn.layout(`${id}-rw`).dir, 'written-by-task'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(world.options.stateDir, 'default', id))).toBe(false);

    // content: one blob named by an image, one held by a lease, one by nothing
    const named = await sup.content.write(Buffer.from('manifest'));
    const leased = await sup.content.write(Buffer.from('leased'));
    const loose = await sup.content.write(Buffer.from('loose'));
    await sup.images.create('default', {
      name: 'berth.test/img:1',
      target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: named, size: 8 },
    });
    const lease = await sup.leases.create('default');
    await sup.leases.addResource('default', lease.id, { type: 'content', id: leased });
    // the committed base is kept while the container's snapshot sits on it
    let r = await sup.gc();
    expect(r.content).toEqual([loose]);
    expect(r.snapshots).toEqual([]);
    expect((await sup.content.list()).map((i) => i.digest).sort()).toEqual([leased, named].sort());

    // once the container and its snapshot go, so does the base; the lease still holds its blob
    await sup.containers.delete('default', id);
    await sup.snapshots.remove(`${id}-rw`);
    await sup.images.delete('default', 'berth.test/img:1');
    r = await sup.gc();
    expect(r.snapshots).toEqual([base]);
    expect(r.content).toEqual([named]);
    await sup.leases.delete('default', lease.id);
    expect((await sup.gc()).content).toEqual([leased]);
    await expect(sup.content.info(leased)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
