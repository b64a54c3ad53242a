// The start-up sweep against small fakes: what it removes, in which order, and that a sweep a
// failure (or a crash) cuts short leaves the mark the next start needs.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerStore } from './container-store.js';
import { createdState } from './created-state.js';
import { type SnapshotInfoLike, type SnapshotterLike, type SupervisorLike, silentLogger } from './deps.js';
import { sweepOrphans } from './orphans.js';
import type { ContainerRecord } from './types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-sweep-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const newId = () => randomBytes(32).toString('hex');

function record(id: string): ContainerRecord {
  return {
    Id: id,
    Created: new Date().toISOString(),
    Path: 'true',
    Args: [],
    Name: `/berth-${id.slice(0, 8)}`,
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    Image: `sha256:${'1'.repeat(64)}`,
    Config: { Image: 'x' },
    HostConfig: {},
    State: createdState(),
    MountPoints: [],
    LogPath: '',
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    SnapshotKey: id,
    HasBeenManuallyStopped: false,
  } as ContainerRecord;
}

class FakeSnapshots implements SnapshotterLike {
  readonly infos = new Map<string, SnapshotInfoLike>();
  failRemove = false;
  constructor(private readonly calls: string[]) {}
  add(name: string, kind = 'active'): void {
    this.infos.set(name, { name, kind, labels: {} });
  }
  mounts(): never[] {
    return [];
  }
  remove(key: string): void {
    this.calls.push(`snapshot ${key}`);
    if (this.failRemove) throw new Error('EBUSY');
    this.infos.delete(key);
  }
  walk(fn: (i: SnapshotInfoLike) => void): void {
    for (const i of this.infos.values()) fn(i);
  }
}

function fakeSupervisor(ids: Set<string>, calls: string[]): SupervisorLike {
  return {
    containers: {
      list: async () => [...ids].map((id) => ({ id })),
      delete: async (_ns: string, id: string) => {
        calls.push(`container ${id}`);
        ids.delete(id);
      },
    },
    tasks: {
      delete: async (_ns: string, id: string) => {
        calls.push(`task ${id}`);
        throw Object.assign(new Error('no task'), { statusCode: 404 });
      },
    },
  } as unknown as SupervisorLike;
}

describe('start-up sweep', () => {
  it('removes the supervisor record, then the snapshot, then the directory; keeps owned and foreign snapshots', async () => {
    const root = join(dir, 'containers');
    const keep = newId();
    const unreadable = newId();
    const crashed = newId();
    const snapshotOnly = newId();
    new ContainerStore(root).save(record(keep));
    mkdirSync(join(root, unreadable));
    writeFileSync(join(root, unreadable, 'config.v2.json'), '{');
    mkdirSync(join(root, crashed));
    writeFileSync(join(root, crashed, `${crashed}-json.log`), 'x');
    const calls: string[] = [];
    const snaps = new FakeSnapshots(calls);
    for (const k of [keep, unreadable, crashed, snapshotOnly, 'berth-build-0123', `sha256:${'2'.repeat(64)}`])
      snaps.add(k);
    snaps.add('f'.repeat(64), 'committed');
    const supIds = new Set([keep, crashed]);
    const store = new ContainerStore(root);
    // the directory is still there when the rest goes: it is the mark a crash in between leaves
    expect(store.unfinished).toEqual([crashed]);
    const r = await sweepOrphans({
      containers: store,
      supervisor: fakeSupervisor(supIds, calls),
      snapshotter: snaps,
      namespace: 'berth',
      scratchDir: join(dir, 'mnt'),
      log: silentLogger,
    });
    expect(r.swept.sort()).toEqual([crashed, snapshotOnly].sort());
    expect(calls).toEqual([
      `task ${crashed}`,
      `container ${crashed}`,
      `snapshot ${crashed}`,
      `snapshot ${snapshotOnly}`,
    ]);
    expect([...snaps.infos.keys()].sort()).toEqual(
      [keep, unreadable, 'berth-build-0123', `sha256:${'2'.repeat(64)}`, 'f'.repeat(64)].sort(),
    );
    expect([...supIds]).toEqual([keep]);
    expect(existsSync(join(root, crashed))).toBe(false);
    expect(existsSync(join(root, unreadable, 'config.v2.json'))).toBe(true);
    expect(store.unfinished).toEqual([]);
  });

  it('a sweep cut short keeps the directory, and the next one finishes', async () => {
    const root = join(dir, 'containers');
    const crashed = newId();
    mkdirSync(join(root, crashed), { recursive: true });
    const calls: string[] = [];
    const snaps = new FakeSnapshots(calls);
    snaps.add(crashed);
    snaps.failRemove = true;
    const opts = {
      supervisor: fakeSupervisor(new Set(), calls),
      snapshotter: snaps,
      namespace: 'berth',
      scratchDir: join(dir, 'mnt'),
      log: silentLogger,
    };
    expect((await sweepOrphans({ ...opts, containers: new ContainerStore(root) })).swept).toEqual([]);
    expect(existsSync(join(root, crashed))).toBe(true);
    snaps.failRemove = false;
    expect((await sweepOrphans({ ...opts, containers: new ContainerStore(root) })).swept).toEqual([crashed]);
    expect(existsSync(join(root, crashed))).toBe(false);
    expect(snaps.infos.size).toBe(0);
  });
});
