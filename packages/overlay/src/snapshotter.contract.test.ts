// One contract, two implementations: every test here runs against the overlay and the native snapshotter.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseSnapshotter } from './base.js';
import { NativeSnapshotter } from './native-snapshotter.js';
import { OverlaySnapshotter } from './overlay-snapshotter.js';
import { GC_REF_PREFIX, GC_ROOT_LABEL, withLabels } from './snapshotter.js';
import { withMounted } from './test-support/mounts.js';
import { tempDir } from './test-support/tars.js';

const implementations: [string, (root: string) => BaseSnapshotter][] = [
  ['overlay', (root) => new OverlaySnapshotter(root)],
  ['native', (root) => new NativeSnapshotter(root)],
];

describe.each(implementations)('%s snapshotter contract', (_name, make) => {
  let tmp: { dir: string; cleanup: () => void };
  let sn: BaseSnapshotter;
  beforeEach(() => {
    tmp = tempDir('snap');
    sn = make(join(tmp.dir, 'root'));
  });
  afterEach(() => {
    sn.close();
    tmp.cleanup();
  });

  /** prepare → write files through the mount → commit. */
  async function layer(
    name: string,
    parent: string | undefined,
    files: Record<string, string>,
  ): Promise<void> {
    const mounts = sn.prepare(`${name}-active`, parent);
    await withMounted(tmp.dir, mounts, (dir) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    });
    sn.commit(name, `${name}-active`);
  }

  it('prepare returns mounts of a writable snapshot that shows its parent', async () => {
    await layer('base', undefined, { 'etc/hostname': 'berth' });
    const mounts = sn.prepare('c1', 'base');
    await withMounted(tmp.dir, mounts, (dir) => {
      expect(readFileSync(join(dir, 'etc/hostname'), 'utf8')).toBe('berth');
      writeFileSync(join(dir, 'new'), 'x');
    });
    expect(sn.stat('c1')).toMatchObject({ kind: 'active', name: 'c1', parent: 'base' });
    expect(sn.mounts('c1')).toEqual(mounts);
  });

  it('prepare with a key that exists fails with EALREADYEXISTS', () => {
    sn.prepare('dup');
    expect(() => sn.prepare('dup')).toThrow(expect.objectContaining({ code: 'EALREADYEXISTS' }));
    expect(() => sn.view('dup')).toThrow(expect.objectContaining({ code: 'EALREADYEXISTS' }));
  });

  it('commit removes the active key and makes an immutable committed snapshot', async () => {
    await layer('l1', undefined, { a: '1' });
    expect(() => sn.stat('l1-active')).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
    expect(sn.stat('l1')).toMatchObject({ kind: 'committed', name: 'l1' });
    expect(() => sn.commit('again', 'l1')).toThrow(expect.objectContaining({ code: 'EFAILEDPRECONDITION' }));
    expect(() => sn.mounts('l1')).toThrow(expect.objectContaining({ code: 'EFAILEDPRECONDITION' }));
    sn.prepare('x');
    expect(() => sn.commit('l1', 'x')).toThrow(expect.objectContaining({ code: 'EALREADYEXISTS' }));
  });

  it('a parent must be committed', () => {
    sn.prepare('active');
    expect(() => sn.prepare('child', 'active')).toThrow(
      expect.objectContaining({ code: 'EFAILEDPRECONDITION' }),
    );
    expect(() => sn.prepare('child', 'missing')).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
  });

  it('remove of a parent with children fails with EHASCHILDREN; children first works', async () => {
    await layer('p', undefined, { f: '1' });
    sn.prepare('child', 'p');
    expect(() => sn.remove('p')).toThrow(expect.objectContaining({ code: 'EHASCHILDREN' }));
    sn.remove('child');
    sn.remove('p');
    expect(() => sn.stat('p')).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
    expect(readdirSync(join(tmp.dir, 'root/snapshots'))).toEqual([]);
  });

  it('views are read-only and cannot be committed', async () => {
    await layer('v1', undefined, { f: 'one' });
    await layer('v2', 'v1', { g: 'two' });
    for (const parent of ['v1', 'v2']) {
      const mounts = sn.view(`view-${parent}`, parent);
      await withMounted(tmp.dir, mounts, (dir) => {
        expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('one');
        expect(() => writeFileSync(join(dir, 'w'), 'x')).toThrow(expect.objectContaining({ code: 'EROFS' }));
      });
      expect(sn.stat(`view-${parent}`).kind).toBe('view');
      expect(() => sn.commit('nope', `view-${parent}`)).toThrow(
        expect.objectContaining({ code: 'EFAILEDPRECONDITION' }),
      );
    }
  });

  it('keeps labels given at prepare and commit, and updates them (all or by field path)', () => {
    sn.prepare('lab', undefined, withLabels({ a: '1', b: '2' }));
    expect(sn.stat('lab').labels).toEqual({ a: '1', b: '2' });
    sn.commit('lab-c', 'lab', withLabels({ c: '3' }));
    expect(sn.stat('lab-c').labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(sn.update('lab-c', { a: 'x' }, ['labels.a', 'labels.b']).labels).toEqual({ a: 'x', c: '3' });
    expect(sn.update('lab-c', { only: 'y' }).labels).toEqual({ only: 'y' });
    expect(() => sn.update('lab-c', {}, ['parent'])).toThrow(
      expect.objectContaining({ code: 'EINVALIDARGUMENT' }),
    );
  });

  it('reports usage of active snapshots live and of committed ones as stored at commit', async () => {
    const mounts = sn.prepare('u');
    await withMounted(tmp.dir, mounts, (dir) => writeFileSync(join(dir, 'big'), Buffer.alloc(256 * 1024, 1)));
    const live = sn.usage('u');
    expect(live.size).toBeGreaterThanOrEqual(256 * 1024);
    expect(live.inodes).toBe(2);
    sn.commit('u-c', 'u');
    expect(sn.usage('u-c')).toEqual(live);
  });

  it('walks every snapshot, with a filter', async () => {
    await layer('w1', undefined, {});
    sn.prepare('w2', 'w1');
    sn.view('w3', 'w1');
    const all: string[] = [];
    sn.walk((info) => all.push(`${info.name}:${info.kind}`));
    expect(all.sort()).toEqual(['w1:committed', 'w2:active', 'w3:view']);
    const committed: string[] = [];
    sn.walk(
      (info) => committed.push(info.name),
      (info) => info.kind === 'committed',
    );
    expect(committed).toEqual(['w1']);
  });

  it('gc removes unreferenced committed snapshots and orphan directories, keeping roots and what they reference', async () => {
    await layer('base', undefined, { a: '1' });
    await layer('mid', 'base', { b: '2' });
    await layer('top', 'mid', { c: '3' });
    await layer('rooted', undefined, {}); // labelled root below
    await layer('refd', undefined, {});
    await layer('garbage', undefined, {});
    await layer('garbage-child', 'garbage', {});
    sn.update('rooted', { [GC_ROOT_LABEL]: 'yes', [`${GC_REF_PREFIX}x`]: 'refd' });
    sn.prepare('container', 'top');
    mkdirSync(join(tmp.dir, 'root/snapshots/new-leftover/fs'), { recursive: true });
    const result = sn.gc();
    expect(result.removed.sort()).toEqual(['garbage', 'garbage-child']);
    expect(result.orphans.map((p) => p.split('/').pop())).toEqual(['new-leftover']);
    const left: string[] = [];
    sn.walk((i) => left.push(i.name));
    expect(left.sort()).toEqual(['base', 'container', 'mid', 'refd', 'rooted', 'top']);
    sn.remove('container');
    expect(sn.gc({ roots: ['mid'] }).removed).toEqual(['top']);
  });

  it('metadata survives reopening the snapshotter', async () => {
    await layer('durable', undefined, { f: 'x' });
    sn.prepare('open', 'durable', withLabels({ k: 'v' }));
    sn.close();
    sn = make(join(tmp.dir, 'root'));
    expect(sn.stat('open')).toMatchObject({ kind: 'active', parent: 'durable', labels: { k: 'v' } });
    expect(existsSync(sn.layout('durable').dir)).toBe(true);
  });

  it('opening removes what a remove interrupted by a crash left in the trash, and nothing else', async () => {
    await layer('kept', undefined, { f: 'x' });
    const snapshots = join(tmp.dir, 'root', 'snapshots');
    // remove renames the directory to rm-* in its transaction, then deletes it: a crash in between
    mkdirSync(join(snapshots, 'rm-0123456789ab', 'fs', 'deep'), { recursive: true });
    writeFileSync(join(snapshots, 'rm-0123456789ab', 'fs', 'deep', 'file'), 'left');
    sn.close();
    sn = make(join(tmp.dir, 'root'));
    expect(readdirSync(snapshots).filter((n) => n.startsWith('rm-'))).toEqual([]);
    expect(existsSync(sn.layout('kept').dir)).toBe(true);
  });
});
