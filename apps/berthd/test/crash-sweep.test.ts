// A crash in the middle of `docker create` (or `docker rm`) leaves nothing the next start does not
// clean: the leftovers are made as a crashed create makes them (the container directory without a
// record, the snapshot keyed by the container id, a supervisor container record, a scratch mount of
// the snapshot, half-written temp files) while berthd is stopped; the next berthd removes them and
// leaves real containers, images, other snapshots and a container whose record is unreadable alone.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentStore } from '@berth/content';
import { mountAll, OverlaySnapshotter } from '@berth/overlay';
import { Supervisor } from '@berth/supervisor';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  cleanupAll,
  docker,
  dockerOk,
  makeRootfsTar,
  mountsUnder,
  startDaemon,
  stopDaemon,
  type TestDaemon,
  tempDir,
  uniqueCgroupParent,
} from './harness.js';

const IMAGE = 'berth-sweep:test';
const NS = 'berth';
let dir: string;
let cgroupParent: string;
let d: TestDaemon | undefined;

const newId = () => randomBytes(32).toString('hex');

beforeAll(() => {
  dir = tempDir();
  cgroupParent = uniqueCgroupParent();
});

afterAll(async () => {
  try {
    if (d && d.proc.exitCode === null) {
      const ids = docker(d, ['ps', '-aq']).stdout.split('\n').filter(Boolean);
      if (ids.length) docker(d, ['rm', '-f', '-v', ...ids]);
      await stopDaemon(d);
    }
  } finally {
    await cleanupAll(d, dir, cgroupParent);
  }
});

/** The snapshotter and supervisor of a stopped berthd, opened on its data root. */
async function openStores(data: string, exec: string) {
  const snapshotter = new OverlaySnapshotter(join(data, 'snapshots'));
  const sup = await Supervisor.open({
    root: join(data, 'supervisor'),
    stateDir: join(exec, 'supervisor'),
    runtimeRoot: join(exec, 'runtime'),
    content: await ContentStore.open(join(data, 'content')),
    snapshotter,
    backend: 'in-process',
    recover: false,
  });
  return {
    snapshotter,
    sup,
    keys: (): string[] => {
      const out: string[] = [];
      snapshotter.walk((i) => out.push(i.name));
      return out;
    },
    async close() {
      await sup.close();
      snapshotter.close();
    },
  };
}

it('the next start removes what a crashed create left and nothing else', async () => {
  const tar = makeRootfsTar(dir);
  d = await startDaemon(dir, cgroupParent);
  dockerOk(d, ['import', tar, IMAGE]);
  // a real container, started once (so the supervisor has its record too)
  const keep = dockerOk(d, ['create', '--name', 'berth-sweep-keep', IMAGE, 'echo', 'kept']);
  expect(dockerOk(d, ['start', '-a', keep])).toBe('kept');
  expect(await stopDaemon(d)).toBe(0);
  const { dataRoot, execRoot } = d;
  const containersDir = join(dataRoot, 'containers');

  const crashedCreate = newId(); // directory, snapshot, scratch mount: crashed while copying up
  const beforeSnapshot = newId(); // directory only: crashed before the snapshot was prepared
  const snapshotOnly = newId(); // snapshot only (an older berthd dropped the directory)
  const supOnly = newId(); // supervisor record only
  const unreadable = newId(); // a record that cannot be parsed: its container is kept whole
  const other = `berth-test-other-${randomBytes(6).toString('hex')}`;
  let s = await openStores(dataRoot, execRoot);
  try {
    const parent = s.snapshotter.stat(keep).parent;
    expect(parent).toBeDefined();
    const imageSnapshots = s.keys().filter((k) => k !== keep);
    for (const key of [crashedCreate, snapshotOnly, unreadable, other]) s.snapshotter.prepare(key, parent);
    for (const id of [crashedCreate, beforeSnapshot]) {
      mkdirSync(join(containersDir, id), { recursive: true });
      writeFileSync(join(containersDir, id, `${id}-json.log`), '');
      writeFileSync(join(containersDir, id, '.tmp-1-1'), '{"half');
    }
    mkdirSync(join(containersDir, unreadable));
    writeFileSync(join(containersDir, unreadable, 'config.v2.json'), '{"not a record');
    const scratch = join(execRoot, 'mnt', `${crashedCreate}-copy`);
    mkdirSync(scratch, { recursive: true });
    mountAll(s.snapshotter.mounts(crashedCreate), scratch);
    writeFileSync(join(scratch, 'copied-up'), 'x');
    const spec = (await s.sup.containers.get(NS, keep)).spec;
    await s.sup.containers.create(NS, { id: supOnly, snapshotter: 'overlay', snapshotKey: supOnly, spec });
    await s.close();

    d = await startDaemon(dir, cgroupParent);
    // four ids (crashed create, before the snapshot, snapshot only, supervisor only), one scratch mount
    expect(d.log()).toMatch(/"containers":4,"scratch":1,"msg":"swept what a crash left"/);
    expect(dockerOk(d, ['ps', '-a', '--format', '{{.Names}}'])).toBe('berth-sweep-keep');
    expect(dockerOk(d, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).toBe(IMAGE);
    expect(dockerOk(d, ['start', '-a', keep])).toBe('kept');
    expect(await stopDaemon(d)).toBe(0);

    expect(mountsUnder(execRoot)).toEqual([]);
    expect(readdirSync(join(execRoot, 'mnt'))).toEqual([]);
    expect(readdirSync(containersDir).sort()).toEqual([keep, unreadable].sort());
    s = await openStores(dataRoot, execRoot);
    expect(s.keys().sort()).toEqual([...imageSnapshots, keep, unreadable, other].sort());
    expect((await s.sup.containers.list(NS)).map((c) => c.id)).toEqual([keep]);
    // a second start after the sweep finds nothing more to do
    await s.close();
    d = await startDaemon(dir, cgroupParent);
    expect(d.log()).not.toMatch(/swept what a crash left/);
    expect(existsSync(join(containersDir, keep, 'config.v2.json'))).toBe(true);
  } finally {
    await s.close().catch(() => {});
  }
}, 120_000);
