// A container whose runtime is an OCI runtime CLI (runc): the shim drives the CLI on the bundle.
import { existsSync } from 'node:fs';
import { connectShim } from '@berth/shim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor.js';
import { DEAD_SHIM_EXIT_CODE, shimDirFor } from './tasks.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';

const RUNC = '/usr/sbin/runc';
let world: TestWorld;
let sup: Supervisor;

beforeEach(async () => {
  world = makeWorld();
  sup = await world.open({ backend: 'shim' });
});

afterEach(async () => {
  await world.cleanup();
});

describe.skipIf(!existsSync(RUNC))('OCI runtime CLI through the shim (runc)', () => {
  it('create, attach, start, exec, wait, delete with runc', async () => {
    const id = uniqueId();
    await sup.containers.create('default', {
      id,
      spec: world.spec(['sh', '-c', 'echo from runc; sleep 100']),
      runtime: { name: RUNC },
    });
    await sup.tasks.create('default', id);
    const att = await sup.tasks.attach('default', id);
    let out = '';
    const echoed = new Promise<void>((resolve) =>
      att.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve();
      }),
    );
    await sup.tasks.start('default', id);
    await echoed;
    expect(out).toBe('from runc\n');
    await sup.tasks.exec('default', id, 'e1', { process: { args: ['sh', '-c', 'exit 6'] } });
    await sup.tasks.start('default', id, { execId: 'e1' });
    expect(await sup.tasks.wait('default', id, { execId: 'e1' })).toMatchObject({ exitCode: 6 });
    // the cgroup operations work on what runc made
    const { pid } = await sup.tasks.state('default', id);
    expect(await sup.tasks.pids('default', id)).toContain(pid);
    expect((await sup.tasks.stats('default', id)).pids?.current).toBeGreaterThan(0);
    await sup.tasks.update('default', id, { pids: { limit: 50 } });
    await sup.tasks.pause('default', id);
    expect((await sup.tasks.state('default', id)).status).toBe('paused');
    await sup.tasks.resume('default', id);
    await sup.tasks.kill('default', id, 9);
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 137 });
    await sup.tasks.delete('default', id);
    await sup.containers.delete('default', id);
  });

  it('a shim that died leaves runc state and cgroup: delete cleans both and the id can run again', async () => {
    const id = uniqueId();
    await sup.containers.create('default', {
      id,
      spec: world.spec(['sleep', '100']),
      runtime: { name: RUNC },
    });
    await sup.tasks.create('default', id);
    await sup.tasks.start('default', id);
    const shim = await connectShim(shimDirFor(world.options.stateDir, 'default', id));
    const shimPid = shim.shimPid;
    shim.close();
    process.kill(shimPid, 'SIGKILL');
    // the supervisor's connection breaks: the container is killed and cleaned up, the task is
    // reported stopped with 128+SIGKILL (containerd's status for a dead shim)
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: DEAD_SHIM_EXIT_CODE, signal: 9 });
    expect(existsSync(`/sys/fs/cgroup/memory${world.cgroupParent}/${id}`)).toBe(false);
    await sup.tasks.delete('default', id, { force: true });
    expect(existsSync(`/sys/fs/cgroup/memory${world.cgroupParent}/${id}`)).toBe(false);
    await sup.tasks.create('default', id);
    await sup.tasks.delete('default', id, { force: true });
  });

  it('refuses a runtime that is not "berth" or an absolute path', async () => {
    await expect(
      sup.containers.create('default', {
        id: uniqueId(),
        spec: world.spec(['true']),
        runtime: { name: 'runc' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('runtime.name') });
  });
});
