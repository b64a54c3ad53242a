import { mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateId } from './id.js';
import { withLock } from './lock.js';
import { StateStore, StoredState } from './store.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-runtime-store-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const state = (id: string): StoredState => ({
  ociVersion: '1.2.1',
  id,
  bundle: '/b',
  rootfs: '/b/rootfs',
  status: 'created',
  pid: 1,
  pidStartTime: 0,
  created: new Date(0).toISOString(),
  annotations: {},
  config: { ociVersion: '1.2.1' },
});

describe('validateId', () => {
  it('accepts runc ids and refuses path tricks', () => {
    for (const ok of ['a', 'berth-1', 'x_y.z+1']) expect(validateId(ok)).toBe(ok);
    for (const bad of ['', '.', '..', 'a/b', '../x', 'a b', 'a\0b'])
      expect(() => validateId(bad)).toThrow(expect.objectContaining({ code: 'EINVALIDID' }));
  });
});

describe('StateStore', () => {
  it('writes state.json atomically and reads it back through the schema', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    store.write(state('berth-a'));
    expect(store.read('berth-a')).toEqual(state('berth-a'));
    expect(readdirSync(join(root, 'berth-a'))).toEqual(['state.json']); // no temp file left
    expect(store.ids()).toEqual(['berth-a']);
  });

  it('refuses a taken id with EEXISTS and a missing one with ENOTFOUND', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    expect(() => store.reserve('berth-a')).toThrow(expect.objectContaining({ code: 'EEXISTS' }));
    expect(() => store.read('berth-b')).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
  });

  it('reports a corrupt state file instead of returning it', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    writeFileSync(join(root, 'berth-a', 'state.json'), JSON.stringify({ id: 'berth-a' }));
    expect(() => store.read('berth-a')).toThrow(expect.objectContaining({ code: 'EINTERNAL' }));
  });

  it('parses a state once and hands out copies while the file stays the same', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    store.write(state('berth-a'));
    const parse = vi.spyOn(StoredState, 'safeParse');
    try {
      const first = store.read('berth-a');
      first.status = 'running';
      first.annotations.x = 'changed by a caller';
      expect(store.read('berth-a')).toEqual(state('berth-a'));
      expect(parse).not.toHaveBeenCalled(); // the write left its own state known
      const other = new StateStore(root); // another process: nothing known yet
      other.read('berth-a');
      other.read('berth-a');
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('sees a state another process renamed over, even with the same size and mtime', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    store.write(state('berth-a'));
    const path = join(root, 'berth-a', 'state.json');
    const pin = () => utimesSync(path, 1_000_000, 1_000_000); // one mtime for every version
    pin();
    expect(store.read('berth-a').status).toBe('created');
    const before = statSync(path);
    const running: StoredState = { ...state('berth-a'), status: 'running' }; // same length as 'created'
    writeFileSync(`${path}.other`, JSON.stringify(running));
    renameSync(`${path}.other`, path);
    pin();
    expect(statSync(path)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
    expect(store.read('berth-a').status).toBe('running');
    const renamed = statSync(path);
    // rewritten in place (same inode, size and mtime): seen too
    writeFileSync(
      path,
      JSON.stringify({ ...running, status: 'stopped' }).replace('"bundle":"/b"', '"bundle":"/c"'),
    );
    pin();
    expect(statSync(path)).toMatchObject({ ino: renamed.ino, size: before.size, mtimeMs: before.mtimeMs });
    expect(store.read('berth-a')).toMatchObject({ status: 'stopped', bundle: '/c' });
  });

  it('forgets a state that was removed or corrupted after it was read', () => {
    const store = new StateStore(root);
    store.reserve('berth-a');
    store.write(state('berth-a'));
    store.read('berth-a');
    writeFileSync(join(root, 'berth-a', 'state.json'), '{"id":');
    expect(() => store.read('berth-a')).toThrow(expect.objectContaining({ code: 'EINTERNAL' }));
    store.remove('berth-a');
    expect(() => store.read('berth-a')).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
    store.reserve('berth-a');
    const again = { ...state('berth-a'), pid: 2 };
    store.write(again);
    expect(store.read('berth-a')).toEqual(again);
  });

  it('lists nothing under a root that does not exist yet', () => {
    expect(new StateStore(join(root, 'nope')).ids()).toEqual([]);
  });
});

describe('withLock', () => {
  it('serialises concurrent holders of one lock', async () => {
    const path = join(root, 'x.lock');
    const order: string[] = [];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        withLock(path, async () => {
          order.push(`${n}+`);
          await sleep(5);
          order.push(`${n}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i]!.slice(0, 1)).toBe(order[i + 1]!.slice(0, 1));
  });

  it('takes over a lock whose owner is dead', async () => {
    const path = join(root, 'x.lock');
    writeFileSync(path, '999999999 1\n'); // no such pid
    expect(await withLock(path, () => 42)).toBe(42);
  });

  it('releases the lock when the function throws', async () => {
    const path = join(root, 'x.lock');
    await expect(withLock(path, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock(path, () => 'again')).toBe('again');
  });

  it('times out with ELOCKED while a live owner holds it', async () => {
    const path = join(root, 'x.lock');
    await withLock(path, () =>
      expect(withLock(path, () => 1, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ELOCKED' }),
    );
  });
});
