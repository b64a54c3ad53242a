// Restart recovery: a supervisor process is killed with SIGKILL while its containers run; a new one
// on the same root finds them again through their shims, with the exit codes of those that ended
// while it was down. A create that crashed half-way is cleaned up, and so is a delete.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountAll, unmount } from '@berth/overlay';
import { Runtime } from '@berth/runtime';
import { connectShim, readExitFile } from '@berth/shim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from './db.js';
import { shimDirFor } from './tasks.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;
let child: ChildProcess | undefined;

beforeEach(() => {
  world = makeWorld();
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await world.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (ok()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs test/recovery-child.mjs: a supervisor that starts `containers`, then idles. */
type ChildExec = { id: string; args: string[]; start?: boolean };

function startChild(
  containers: Array<{ id: string; args: string[]; execs?: ChildExec[] }>,
): Promise<ChildProcess> {
  const specs = containers.map((c) => ({ id: c.id, spec: world.spec(c.args), execs: c.execs ?? [] }));
  const proc = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '..', 'test', 'recovery-child.mjs'),
      JSON.stringify({ ...world.options, backend: 'shim' }),
      JSON.stringify(specs),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ready shim\n')) resolve(proc);
    });
    proc.on('exit', (code) => reject(new Error(`supervisor child exited (${code}): ${out}${err}`)));
  });
}

describe('recovery after the supervisor is killed (shim backend)', () => {
  it('kill -9 while 3 containers run: running ones are followed again, exits while down keep their codes', async () => {
    const [a, b, c] = [uniqueId(), uniqueId(), uniqueId()];
    const flag = `go-${a}`;
    child = await startChild([
      { id: a, args: ['sleep', '100'] },
      { id: b, args: ['sh', '-c', `while [ ! -e /${flag} ]; do sleep 0.05; done; exit 5`] },
      { id: c, args: ['sh', '-c', 'sleep 100 & wait'] },
    ]);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    // while no supervisor runs: b exits (its shim keeps the status), c is killed and its shim goes too
    writeFileSync(join(world.rootfs, flag), '');
    const shimDir = (id: string) => shimDirFor(world.options.stateDir, 'default', id);
    const cShim = await connectShim(shimDir(c));
    const cShimPid = cShim.shimPid;
    await cShim.kill(9, true);
    cShim.close();
    await until('exit file of c', () => readExitFile(shimDir(c)) !== undefined);
    await until('exit file of b', () => readExitFile(shimDir(b)) !== undefined);
    process.kill(cShimPid, 'SIGKILL');
    await until('shim of c gone', () => !existsSync(`/proc/${cShimPid}`));

    // subscribe before recovering to get the exit events of what ended while down
    const sup = await world.open({ recover: false });
    const ac = new AbortController();
    const exits = sup.events.subscribe({ filters: ['topic=="/tasks/exit"'], signal: ac.signal });
    await sup.recover();
    ac.abort();
    const seen = [];
    for await (const e of exits) seen.push(e.event);
    // (b's shim still runs: its exit is read from the shim and may be published a moment later)
    expect(seen.filter((e) => e.containerId !== b)).toEqual([
      expect.objectContaining({ containerId: c, exitStatus: 137 }),
    ]);
    expect(sup.lastRecovery.cleaned).toEqual([]);
    expect(sup.lastRecovery.exited).toEqual([
      { namespace: 'default', id: c, exitStatus: expect.objectContaining({ exitCode: 137, signal: 9 }) },
    ]);
    expect(sup.lastRecovery.reconnected.map((r) => r.id).sort()).toEqual([a, b].sort());

    expect(await sup.tasks.wait('default', b)).toMatchObject({ exitCode: 5 });
    expect((await sup.tasks.state('default', c)).exitStatus).toMatchObject({ exitCode: 137 });
    const stateA = await sup.tasks.state('default', a);
    expect(stateA.status).toBe('running');
    expect(await sup.tasks.pids('default', a)).toEqual([stateA.pid]);
    await sup.tasks.kill('default', a, 9);
    expect(await sup.tasks.wait('default', a)).toMatchObject({ exitCode: 137, signal: 9 });
    for (const id of [a, b, c]) await sup.tasks.delete('default', id);
    expect(await sup.tasks.list('default')).toEqual([]);
  });

  it('execs started before a kill -9 are followed again: wait, kill, exit while down, start, delete; a dead shim gives 137', async () => {
    const [a, b] = [uniqueId(), uniqueId()];
    const flag = `go-${a}`;
    child = await startChild([
      {
        id: a,
        args: ['sleep', '100'],
        execs: [
          { id: 'long', args: ['sleep', '100'] },
          { id: 'ends', args: ['sh', '-c', `while [ ! -e /${flag} ]; do sleep 0.05; done; exit 7`] },
          { id: 'later', args: ['sh', '-c', 'exit 4'], start: false },
        ],
      },
      { id: b, args: ['sleep', '100'], execs: [{ id: 'orphan', args: ['sleep', '100'] }] },
    ]);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    // what the killed supervisor recorded
    const db = openDb(world.options.root);
    const pidOf = (id: string, execId: string) =>
      (
        db
          .prepare('SELECT pid FROM execs WHERE namespace = ? AND task_id = ? AND exec_id = ?')
          .get('default', id, execId) as { pid: number }
      ).pid;
    const [longPid, endsPid] = [pidOf(a, 'long'), pidOf(a, 'ends')];
    db.close();
    expect(longPid).toBeGreaterThan(0);

    // while no supervisor runs: 'ends' exits (its shim keeps the status), b's shim dies with its container
    writeFileSync(join(world.rootfs, flag), '');
    await until('exec "ends" reaped', () => !existsSync(`/proc/${endsPid}`));
    const bShim = await connectShim(shimDirFor(world.options.stateDir, 'default', b));
    const bShimPid = bShim.shimPid;
    await bShim.kill(9, true);
    bShim.close();
    await until(
      'exit file of b',
      () => readExitFile(shimDirFor(world.options.stateDir, 'default', b)) !== undefined,
    );
    process.kill(bShimPid, 'SIGKILL');
    await until('shim of b gone', () => !existsSync(`/proc/${bShimPid}`));

    const sup = await world.open({ recover: false });
    const ac = new AbortController();
    const exits = sup.events.subscribe({ filters: ['topic=="/tasks/exit"'], signal: ac.signal });
    await sup.recover();
    expect(sup.lastRecovery.reconnected.map((r) => r.id)).toEqual([a]);

    expect(await sup.tasks.state('default', a, { execId: 'long' })).toMatchObject({
      status: 'running',
      pid: longPid,
    });
    expect(await sup.tasks.wait('default', a, { execId: 'ends' })).toMatchObject({
      exitCode: 7,
      signal: null,
    });
    expect(await sup.tasks.wait('default', b, { execId: 'orphan' })).toMatchObject({
      exitCode: 137,
      signal: 9,
    });
    await sup.tasks.kill('default', a, 9, { execId: 'long' });
    expect(await sup.tasks.wait('default', a, { execId: 'long' })).toMatchObject({
      exitCode: 137,
      signal: 9,
    });
    expect(await sup.tasks.state('default', a, { execId: 'later' })).toMatchObject({ status: 'created' });
    await sup.tasks.start('default', a, { execId: 'later' });
    expect(await sup.tasks.wait('default', a, { execId: 'later' })).toMatchObject({ exitCode: 4 });
    ac.abort();
    const seen = [];
    for await (const e of exits) seen.push(e.event);
    const execExits = seen.filter((e) => e.id !== e.containerId);
    expect(execExits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ containerId: a, id: 'ends', exitStatus: 7 }),
        expect.objectContaining({ containerId: a, id: 'long', exitStatus: 137 }),
        expect.objectContaining({ containerId: a, id: 'later', exitStatus: 4 }),
        expect.objectContaining({ containerId: b, id: 'orphan', exitStatus: 137 }),
      ]),
    );
    expect(execExits).toHaveLength(4);
    await sup.close();

    // the exits were recorded: the next supervisor has them without asking anyone
    const again = await world.open();
    expect(await again.tasks.state('default', a, { execId: 'ends' })).toMatchObject({
      status: 'stopped',
      exitStatus: { exitCode: 7 },
    });
    expect(await again.tasks.deleteProcess('default', a, 'long')).toMatchObject({ exitCode: 137 });
    await expect(again.tasks.state('default', a, { execId: 'long' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await again.tasks.kill('default', a, 9);
    await again.tasks.wait('default', a);
    for (const id of [a, b]) await again.tasks.delete('default', id);
    const left = openDb(world.options.root);
    expect(left.prepare('SELECT count(*) AS n FROM execs').get()).toEqual({ n: 0 });
    left.close();
  });

  it('an exec outlives a close() and reopen in the same process: the new supervisor kills it and sees its exit', async () => {
    const id = uniqueId();
    const sup0 = await world.open({ backend: 'shim' });
    await sup0.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
    await sup0.tasks.create('default', id);
    await sup0.tasks.start('default', id);
    await sup0.tasks.exec('default', id, 'long', { process: { args: ['sleep', '100'] } });
    const started = await sup0.tasks.start('default', id, { execId: 'long' });
    const waiting = sup0.tasks.wait('default', id, { execId: 'long' });
    await sup0.close();
    // a waiter of the closed supervisor hears "unknown", and nothing is recorded as an exit
    expect(await waiting).toMatchObject({ exitCode: 255 });

    const sup = await world.open({ backend: 'shim' });
    expect(await sup.tasks.state('default', id, { execId: 'long' })).toMatchObject({
      status: 'running',
      pid: started.pid,
    });
    // its streams are the shim's: a new attach reaches them
    const att = await sup.tasks.attach('default', id, { execId: 'long' });
    expect(att.stdout).toBeDefined();
    att.close();
    await expect(sup.tasks.deleteProcess('default', id, 'long')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await sup.tasks.kill('default', id, 15, { execId: 'long' });
    expect(await sup.tasks.wait('default', id, { execId: 'long' })).toMatchObject({
      exitCode: 143,
      signal: 15,
    });
    expect(await sup.tasks.deleteProcess('default', id, 'long')).toMatchObject({ exitCode: 143 });
    await sup.tasks.delete('default', id, { force: true });
  });

  it('a create that crashed half-way (row "creating", rootfs mounted, runtime state) is cleaned at open', async () => {
    const id = uniqueId();
    const sup0 = await world.open();
    await sup0.containers.create('default', { id, spec: world.spec(['true']) });
    await sup0.close();
    // what a crash inside tasks.create leaves: the row, the bundle with its mount, the runtime's state
    const dir = join(world.options.stateDir, 'default', id);
    const db = openDb(world.options.root);
    db.prepare(
      "INSERT INTO tasks (namespace, id, status, backend, dir, rootfs_mounted, created_at) VALUES ('default', ?, 'creating', 'shim', ?, 1, ?)",
    ).run(id, dir, new Date().toISOString());
    db.close();
    mkdirSync(join(dir, 'rootfs'), { recursive: true });
    mountAll([{ type: 'bind', source: world.rootfs, options: ['rbind'] }], join(dir, 'rootfs'));
    const spec = world.spec(['true']);
    spec.root = { path: join(dir, 'rootfs') };
    spec.linux!.cgroupsPath = `${world.cgroupParent}/${id}`;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
    const rt = new Runtime({ root: join(world.options.runtimeRoot, 'default') });
    await rt.prepare(id, { bundle: dir });
    expect(existsSync(`/sys/fs/cgroup/memory${world.cgroupParent}/${id}`)).toBe(true);

    const sup = await world.open();
    expect(sup.lastRecovery.cleaned).toEqual([{ namespace: 'default', id }]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(`/sys/fs/cgroup/memory${world.cgroupParent}/${id}`)).toBe(false);
    expect(() => rt.state(id)).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
    await expect(sup.tasks.state('default', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // the container is untouched and can get a task again
    await sup.tasks.create('default', id);
    await sup.tasks.delete('default', id);
  });

  it('a delete that stopped half-way (shim gone; or runtime state and mount gone) is finished by the next one', async () => {
    const [a, b] = [uniqueId(), uniqueId()];
    const bundle = (id: string) => join(world.options.stateDir, 'default', id);
    const shimDir = (id: string) => shimDirFor(world.options.stateDir, 'default', id);
    const mounted = (id: string) =>
      readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .some((l) => l.split(' ')[4] === join(bundle(id), 'rootfs'));
    const sup0 = await world.open({ backend: 'shim' });
    for (const id of [a, b]) {
      await sup0.containers.create('default', { id, spec: world.spec(['true']) });
      await sup0.tasks.create('default', id, {
        rootfs: [{ type: 'bind', source: world.rootfs, options: ['rbind'] }],
      });
      await sup0.tasks.start('default', id);
      expect(await sup0.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
    }
    await sup0.close();
    // a: the shim has shut down, nothing else is done; b: the runtime's container and the rootfs
    // mount are gone, the shim still runs
    const shimA = await connectShim(shimDir(a));
    await shimA.shutdown();
    shimA.close();
    await new Runtime({ root: join(world.options.runtimeRoot, 'default') }).delete(b, { force: true });
    unmount(join(bundle(b), 'rootfs'));

    const sup = await world.open({ backend: 'shim' });
    for (const id of [a, b]) {
      expect(await sup.tasks.state('default', id)).toMatchObject({ status: 'stopped' });
      expect(await sup.tasks.delete('default', id)).toMatchObject({ exitCode: 0 });
      expect(mounted(id)).toBe(false);
      expect(existsSync(bundle(id))).toBe(false);
      expect(existsSync(shimDir(id))).toBe(false);
      expect(existsSync(join(world.options.runtimeRoot, 'default', id))).toBe(false);
      expect(existsSync(`/sys/fs/cgroup/memory${world.cgroupParent}/${id}`)).toBe(false);
      await expect(sup.tasks.state('default', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // the container can get a task again
      await sup.tasks.create('default', id);
      await sup.tasks.delete('default', id);
    }
    expect(existsSync(join(world.rootfs, 'bin', 'busybox'))).toBe(true);
  });
});
