// Terminals (a pty held by the shim), resize, and a paused task deleted with force.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor.js';
import { makeWorld, readAll, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;
let sup: Supervisor;

beforeEach(async () => {
  world = makeWorld();
  sup = await world.open({ backend: 'shim' });
});

afterEach(async () => {
  await world.cleanup();
});

describe('terminals and pause (shim backend)', () => {
  it('a terminal task sees a tty of the size it is resized to', async () => {
    const id = uniqueId();
    const spec = world.spec(['sh', '-c', 'read x; tty >/dev/null && echo tty; stty size']);
    await sup.containers.create('default', { id, spec });
    const t = await sup.tasks.create('default', id, { terminal: true, stdin: true });
    expect(t).toMatchObject({ terminal: true, stdin: true });
    const att = await sup.tasks.attach('default', id, { stdin: true });
    expect(att.stderr).toBeUndefined();
    const out = readAll(att.stdout);
    await sup.tasks.start('default', id);
    await sup.tasks.resize('default', id, { cols: 123, rows: 45 });
    att.stdin!.write('go\n');
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
    // The exit comes on another connection than the output: read the attach to its end (the shim ends it
    // once the pty is drained), as a client that wants all the output does, before closing it.
    const text = (await out).replace(/\r/g, '');
    att.close();
    expect(text).toContain('tty\n45 123\n');
    await expect(sup.tasks.resize('default', id, { cols: 0, rows: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('delete with force kills a paused task (thawed for SIGKILL)', async () => {
    const id = uniqueId();
    await sup.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
    await sup.tasks.create('default', id);
    await sup.tasks.start('default', id);
    await sup.tasks.pause('default', id);
    expect(await sup.tasks.delete('default', id, { force: true })).toMatchObject({
      exitCode: 137,
      signal: 9,
    });
    expect(await sup.tasks.list('default')).toEqual([]);
  });
});

describe('terminals (in-process backend)', () => {
  it('a terminal task gets a pty; resize needs the shim', async () => {
    const inproc = await world.open({ backend: 'in-process' });
    const id = uniqueId();
    await inproc.containers.create('default', {
      id,
      spec: world.spec(['sh', '-c', 'read x; tty >/dev/null && echo tty $x']),
    });
    await inproc.tasks.create('default', id, { terminal: true, stdin: true });
    const att = await inproc.tasks.attach('default', id, { stdin: true });
    const out = readAll(att.stdout);
    await inproc.tasks.start('default', id);
    await expect(inproc.tasks.resize('default', id, { cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'UNIMPLEMENTED',
    });
    att.stdin!.write('ok\n');
    expect(await inproc.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
    expect((await out).replace(/\r/g, '')).toContain('tty ok\n');
  });
});
