// berth-supervisor as its own process: serves gRPC, stops on SIGTERM leaving containers running, and
// a new process on the same root serves them again.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SupervisorClient } from './grpc/client.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;
const procs: ChildProcess[] = [];

beforeEach(() => {
  world = makeWorld();
});

afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await world.cleanup();
});

function start(socket: string): Promise<ChildProcess> {
  const o = world.options;
  const p = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '..', 'dist', 'main.js'),
      '--root',
      o.root,
      '--state-dir',
      o.stateDir,
      '--runtime-root',
      o.runtimeRoot,
      '--cgroup-parent',
      o.cgroupParent!,
      '--socket',
      socket,
      '--backend',
      'shim',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  procs.push(p);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    p.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(`ready ${socket}\n`)) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`berth-supervisor exited (${code}): ${out}${err}`)));
  });
}

describe('berth-supervisor (process)', () => {
  it('serves over gRPC; SIGTERM leaves the container running; a restart serves it again', async () => {
    const socket = join(world.dir, 'sv.sock');
    const first = await start(socket);
    const id = uniqueId();
    let client = new SupervisorClient(socket);
    await client.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
    await client.tasks.create('default', id);
    const { pid } = await client.tasks.start('default', id);
    await client.close();
    first.kill('SIGTERM');
    expect(await new Promise((r) => first.once('exit', (code) => r(code)))).toBe(0);
    expect(process.kill(pid, 0)).toBe(true);

    const second = await start(socket);
    // one process per root: another opener is refused while this one lives
    await expect(start(join(world.dir, 'other.sock'))).rejects.toThrow(/another supervisor \(pid \d+\) uses/);
    expect(second.exitCode).toBe(null);
    client = new SupervisorClient(socket);
    expect(await client.tasks.state('default', id)).toMatchObject({ status: 'running', pid });
    expect(await client.tasks.delete('default', id, { force: true })).toMatchObject({ exitCode: 137 });
    await client.containers.delete('default', id);
    await client.close();
  });

  it('refuses bad flags with a usage line', async () => {
    const p = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', 'dist', 'main.js'), '--root', 'relative'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    expect(await new Promise((r) => p.once('exit', (code) => r(code)))).toBe(2);
    expect(err).toContain('--root: must be an absolute path');
    expect(err).toContain('usage: berth-supervisor');
  });
});
