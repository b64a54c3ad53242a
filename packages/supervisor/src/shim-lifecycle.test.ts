// The shim path's edges, with real busybox containers: OCI hooks of every kind run where the
// runtime spec puts them (a failing prestart hook leaves nothing behind), and a shim killed with
// SIGKILL is noticed: the container is killed and cleaned up, its exit recorded, waiters woken,
// also when the supervisor was down at the time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeSpec } from '@berth/oci-spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_SHIM_EXIT_CODE, shimDirFor } from './tasks.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';

let world: TestWorld;

beforeEach(() => {
  world = makeWorld();
});

afterEach(async () => {
  await world.cleanup();
});

/** Alive and not a zombie (a killed init reparented to pid 1 may stay a zombie for a while). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to ~20 s) for a process that was sent SIGKILL to be gone. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 400 && running(pid); i++) await sleep(50);
  return !running(pid);
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === path);
}

const cgroupOf = (id: string) => `/sys/fs/cgroup/memory${world.cgroupParent}/${id}`;
const bind = () => [{ type: 'bind' as const, source: world.rootfs, options: ['rbind'] }];

function shimPidOf(id: string): number {
  return Number(readFileSync(join(shimDirFor(world.options.stateDir, 'default', id), 'shim.pid'), 'utf8'));
}

/** A hook that appends "<name> <state it got on stdin>" to `log`. */
function hook(log: string, name: string): { path: string; args: string[] } {
  return { path: '/bin/sh', args: ['sh', '-c', `echo "${name} $(cat)" >> ${log}`] };
}

function logLines(log: string): Array<{ name: string; state: { status: string; pid: number; id: string } }> {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => ({ name: l.slice(0, l.indexOf(' ')), state: JSON.parse(l.slice(l.indexOf(' ') + 1)) }));
}

describe('OCI hooks through the shim', () => {
  it('prestart, createRuntime, startContainer, poststart and poststop run in order with the state they belong to', async () => {
    const sup = await world.open({ backend: 'shim' });
    const id = uniqueId();
    const log = join(world.dir, `${id}.hooks`);
    const spec: RuntimeSpec = world.spec(['sh', '-c', 'read x']);
    const inside = `/start-hook-${id}`; // startContainer runs in the container: / is its rootfs
    spec.hooks = {
      prestart: [hook(log, 'prestart0'), hook(log, 'prestart1')],
      createRuntime: [hook(log, 'createRuntime0')],
      startContainer: [{ path: '/bin/sh', args: ['sh', '-c', `echo "startContainer $(cat)" > ${inside}`] }],
      poststart: [hook(log, 'poststart0')],
      poststop: [hook(log, 'poststop0')],
    };
    await sup.containers.create('default', { id, spec });
    const created = await sup.tasks.create('default', id, { stdin: true });
    expect(logLines(log).map((l) => [l.name, l.state.status, l.state.pid, l.state.id])).toEqual([
      ['prestart0', 'creating', created.pid, id],
      ['prestart1', 'creating', created.pid, id],
      ['createRuntime0', 'creating', created.pid, id],
    ]);
    await sup.tasks.start('default', id);
    const started = readFileSync(join(world.rootfs, inside), 'utf8');
    expect(started).toMatch(/^startContainer /);
    expect(JSON.parse(started.slice('startContainer '.length))).toMatchObject({ status: 'created', id });
    expect(logLines(log).slice(3)).toEqual([
      { name: 'poststart0', state: expect.objectContaining({ status: 'running', pid: created.pid }) },
    ]);
    await sup.tasks.closeStdin('default', id);
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: 1 });
    await sup.tasks.delete('default', id);
    expect(logLines(log).slice(4)).toEqual([
      { name: 'poststop0', state: expect.objectContaining({ status: 'stopped', id }) },
    ]);
  });

  it('a failing prestart hook fails the create with its message and leaves nothing behind', async () => {
    const sup = await world.open({ backend: 'shim' });
    const id = uniqueId();
    const log = join(world.dir, `${id}.hooks`);
    const spec: RuntimeSpec = world.spec(['sleep', '100']);
    spec.hooks = {
      prestart: [
        hook(log, 'prestart0'),
        { path: '/bin/sh', args: ['sh', '-c', 'echo "no network for you" >&2; exit 3'] },
        hook(log, 'prestart2'),
      ],
      createRuntime: [hook(log, 'createRuntime0')],
    };
    await sup.containers.create('default', { id, spec });
    const err = await sup.tasks.create('default', id, { rootfs: bind() }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    // the runtime's EHOOK, in the supervisor's vocabulary (see errors.ts)
    expect(err).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: 'prestart hook 1 (/bin/sh) failed (exit 3): no network for you',
      cause: { code: 'EHOOK' },
    });
    // the first hook ran (with the init's pid), none after the failed one
    const lines = logLines(log);
    expect(lines.map((l) => l.name)).toEqual(['prestart0']);
    const initPid = lines[0]!.state.pid;
    expect(await gone(initPid)).toBe(true);
    await expect(sup.tasks.state('default', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const shimDir = shimDirFor(world.options.stateDir, 'default', id);
    expect(existsSync(shimDir)).toBe(false);
    expect(existsSync(cgroupOf(id))).toBe(false);
    expect(mounted(join(world.options.stateDir, 'default', id, 'rootfs'))).toBe(false);
    expect(existsSync(join(world.options.stateDir, 'default', id))).toBe(false);
    expect(existsSync(join(world.options.runtimeRoot, 'default', id))).toBe(false);
    // no berth-shim for this directory is left
    const shims = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(shimDir);
        } catch {
          return false;
        }
      });
    expect(shims).toEqual([]);
  });
});

describe('a shim killed with SIGKILL', () => {
  it('while the supervisor runs: the container is killed and cleaned up, wait resolves, /tasks/exit is published', async () => {
    const sup = await world.open({ backend: 'shim' });
    const id = uniqueId();
    const log = join(world.dir, `${id}.hooks`);
    const spec: RuntimeSpec = world.spec(['sleep', '1000']);
    spec.hooks = { poststop: [hook(log, 'poststop0')] };
    await sup.containers.create('default', { id, spec });
    const { pid } = await sup.tasks.create('default', id, { rootfs: bind() });
    await sup.tasks.start('default', id);
    const ac = new AbortController();
    const events = sup.events.subscribe({ filters: ['topic=="/tasks/exit"'], signal: ac.signal });
    const waiting = sup.tasks.wait('default', id);

    process.kill(shimPidOf(id), 'SIGKILL');
    const exit = await waiting;
    expect(exit).toMatchObject({ exitCode: DEAD_SHIM_EXIT_CODE, signal: 9 });
    for await (const e of events) {
      expect(e.event).toMatchObject({ containerId: id, exitStatus: DEAD_SHIM_EXIT_CODE });
      break;
    }
    ac.abort();
    // by the time the exit is recorded, nothing of the container runs or stays mounted
    expect(running(pid)).toBe(false);
    expect(existsSync(cgroupOf(id))).toBe(false);
    expect(mounted(join(world.options.stateDir, 'default', id, 'rootfs'))).toBe(false);
    expect(logLines(log).map((l) => l.name)).toEqual(['poststop0']);
    expect(await sup.tasks.state('default', id)).toMatchObject({ status: 'stopped' });
    // delete still works and reports the same exit
    expect(await sup.tasks.delete('default', id)).toMatchObject({ exitCode: DEAD_SHIM_EXIT_CODE });
    expect(existsSync(shimDirFor(world.options.stateDir, 'default', id))).toBe(false);
  });

  it('while the supervisor was down: recovery kills the orphaned container and records the exit', async () => {
    const sup0 = await world.open({ backend: 'shim' });
    const id = uniqueId();
    await sup0.containers.create('default', { id, spec: world.spec(['sleep', '1000']) });
    const { pid } = await sup0.tasks.create('default', id, { rootfs: bind() });
    await sup0.tasks.start('default', id);
    const shimPid = shimPidOf(id);
    await sup0.close(); // the container keeps running under its shim
    process.kill(shimPid, 'SIGKILL');
    expect(await gone(shimPid)).toBe(true);
    expect(running(pid)).toBe(true); // the init outlives its shim (reparented)

    const sup = await world.open({ backend: 'shim' });
    expect(sup.lastRecovery.exited).toEqual([
      {
        namespace: 'default',
        id,
        exitStatus: expect.objectContaining({ exitCode: DEAD_SHIM_EXIT_CODE, signal: 9 }),
      },
    ]);
    expect(running(pid)).toBe(false);
    expect(existsSync(cgroupOf(id))).toBe(false);
    expect(mounted(join(world.options.stateDir, 'default', id, 'rootfs'))).toBe(false);
    expect(await sup.tasks.wait('default', id)).toMatchObject({ exitCode: DEAD_SHIM_EXIT_CODE });
    await sup.tasks.delete('default', id);
  });
});
