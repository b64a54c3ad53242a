// Tasks with real busybox containers: the lifecycle, stdio, logs, exec, and the errors of bad calls.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor.js';
import { makeWorld, readAll, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;
let sup: Supervisor;

afterEach(async () => {
  await world.cleanup();
});

describe.each(['shim', 'in-process'] as const)(
  'tasks through the %s backend (real busybox containers)',
  (backend) => {
    beforeEach(async () => {
      world = makeWorld();
      sup = await world.open({ backend });
      expect(sup.backend).toBe(backend);
    });

    it('create -> created, start -> running, wait gives the exit code, delete removes everything', async () => {
      // as long as Docker's ids: the shim's socket path must still fit
      const id = `berth${createHash('sha256').update(uniqueId()).digest('hex')}`.slice(0, 64);
      await sup.containers.create('default', { id, spec: world.spec(['sh', '-c', 'exit 7']) });
      const created = await sup.tasks.create('default', id);
      expect(created).toMatchObject({ id, status: 'created' });
      expect(created.pid).toBeGreaterThan(0);
      const waiting = sup.tasks.wait('default', id);
      await sup.tasks.start('default', id);
      const exit = await waiting;
      expect(exit).toMatchObject({ exitCode: 7, signal: null });
      expect((await sup.tasks.state('default', id)).status).toBe('stopped');
      expect(await sup.tasks.delete('default', id)).toMatchObject({ exitCode: 7 });
      await expect(sup.tasks.state('default', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await sup.containers.delete('default', id);
      expect(readdirSync(join(world.options.stateDir, 'default'))).toEqual([]);
      expect(
        existsSync(join(world.options.stateDir, 's')) ? readdirSync(join(world.options.stateDir, 's')) : [],
      ).toEqual([]);
    });

    it('attach sees stdout and stderr; the json-file log gets both streams', async () => {
      const id = uniqueId();
      const log = join(world.dir, `${id}.log`);
      await sup.containers.create('default', {
        id,
        spec: world.spec(['sh', '-c', 'echo out; echo err >&2']),
      });
      await sup.tasks.create('default', id, { log: { path: log, format: 'json-file' } });
      const att = await sup.tasks.attach('default', id);
      const [out, err] = [readAll(att.stdout), readAll(att.stderr)];
      await sup.tasks.start('default', id);
      expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
      expect(await out).toBe('out\n');
      expect(await err).toBe('err\n');
      const lines = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.stream, l.log]).sort()).toEqual([
        ['stderr', 'err\n'],
        ['stdout', 'out\n'],
      ]);
      expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    });

    it('stdin reaches the container and its end is EOF', async () => {
      const id = uniqueId();
      await sup.containers.create('default', { id, spec: world.spec(['cat']) });
      await sup.tasks.create('default', id, { stdin: true });
      const att = await sup.tasks.attach('default', id, { stdin: true });
      const out = readAll(att.stdout);
      await sup.tasks.start('default', id);
      att.stdin!.end('hello berth\n');
      expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 0 });
      expect(await out).toBe('hello berth\n');
    });

    it('kill: exit code 128+signal; pids and stats while running; pause and resume', async () => {
      const id = uniqueId();
      await sup.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
      const t = await sup.tasks.create('default', id);
      await sup.tasks.start('default', id);
      expect(await sup.tasks.pids('default', id)).toEqual([t.pid]);
      expect((await sup.tasks.stats('default', id)).pids?.current).toBe(1);
      await sup.tasks.pause('default', id);
      expect((await sup.tasks.state('default', id)).status).toBe('paused');
      await sup.tasks.resume('default', id);
      expect((await sup.tasks.state('default', id)).status).toBe('running');
      await expect(sup.tasks.delete('default', id)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
      // the init is pid 1 of its namespace: only a signal it cannot ignore ends it
      await sup.tasks.kill('default', id, 9);
      expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 137, signal: 9 });
    });

    it('exec runs a second process with its own stdio and exit code', async () => {
      const id = uniqueId();
      await sup.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
      await sup.tasks.create('default', id);
      await sup.tasks.start('default', id);
      await sup.tasks.exec('default', id, 'e1', {
        process: { args: ['sh', '-c', 'echo in-container; exit 3'] },
      });
      const att = await sup.tasks.attach('default', id, { execId: 'e1' });
      const out = readAll(att.stdout);
      await sup.tasks.start('default', id, { execId: 'e1' });
      expect(await sup.tasks.wait('default', id, { execId: 'e1' })).toMatchObject({ exitCode: 3 });
      expect(await out).toBe('in-container\n');
      await expect(
        sup.tasks.exec('default', id, 'e1', { process: { args: ['true'] } }),
      ).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      expect(await sup.tasks.deleteProcess('default', id, 'e1')).toMatchObject({ exitCode: 3 });
      expect((await sup.tasks.delete('default', id, { force: true })).signal).toBe(9);
    });

    it('a detached exec (nobody attached) runs to its end; its output does not block it', async () => {
      const id = uniqueId();
      await sup.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
      await sup.tasks.create('default', id);
      await sup.tasks.start('default', id);
      await sup.tasks.exec('default', id, 'bg', { process: { args: ['sh', '-c', 'seq 1 200000; exit 2'] } });
      await sup.tasks.start('default', id, { execId: 'bg' });
      expect(await sup.tasks.wait('default', id, { execId: 'bg' })).toMatchObject({ exitCode: 2 });
      await sup.tasks.delete('default', id, { force: true });
    });

    it('closeStdin ends the input; update changes limits; a bad exec process or resources are refused', async () => {
      const id = uniqueId();
      await sup.containers.create('default', {
        id,
        spec: world.spec(['sh', '-c', 'cat; echo cat-done; sleep 100']),
      });
      await sup.tasks.create('default', id, { stdin: true });
      const att = await sup.tasks.attach('default', id, { stdin: true });
      let out = '';
      const sawEof = new Promise<void>((resolve) =>
        att.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('cat-done\n')) resolve();
        }),
      );
      await sup.tasks.start('default', id);
      att.stdin!.write('before close\n');
      await sup.tasks.closeStdin('default', id);
      await sawEof;
      expect(out).toBe('before close\ncat-done\n');
      await sup.tasks.update('default', id, { pids: { limit: 42 } });
      const cg = `/sys/fs/cgroup/pids${world.cgroupParent}/${id}/pids.max`;
      expect(readFileSync(cg, 'utf8').trim()).toBe('42');
      await expect(
        sup.tasks.update('default', id, { pids: { limit: 'many' } } as never),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('resources.pids.limit'),
      });
      await expect(sup.tasks.exec('default', id, 'e2', { process: { args: [] } })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(
        sup.tasks.exec('default', id, 'e3', { process: { args: ['true'], cwd: 7 } as never }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('process.cwd') });
      await sup.tasks.kill('default', id, 9, { all: true });
      expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 137 });
    });

    it('a program that is not there: start fails with FAILED_PRECONDITION naming exec and ENOENT', async () => {
      const id = uniqueId();
      await sup.containers.create('default', { id, spec: world.spec(['/no/such/program']) });
      await sup.tasks.create('default', id);
      await expect(sup.tasks.start('default', id)).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: expect.stringMatching(/exec.*\/no\/such\/program.*ENOENT/),
      });
      expect((await sup.tasks.wait('default', id)).exitCode).not.toBe(0);
      await sup.tasks.delete('default', id);
    });

    it('refuses bad calls with clear codes', async () => {
      const id = uniqueId();
      await expect(sup.tasks.create('default', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(sup.tasks.create('default', 'bad id!')).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await sup.containers.create('default', { id, spec: world.spec(['true']) });
      await expect(
        sup.containers.create('default', { id, spec: world.spec(['true']) }),
      ).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await sup.tasks.create('default', id);
      await expect(sup.tasks.create('default', id)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(sup.containers.delete('default', id)).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
      });
      await expect(sup.tasks.checkpoint('default', id)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
      await expect(sup.tasks.kill('default', id, 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      // a created task that never started can be deleted without force
      await sup.tasks.delete('default', id);
      await sup.containers.delete('default', id);
    });
  },
);
