// OOM: a task over its memory limit is killed by the kernel and /tasks/oom is published.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Supervisor } from './supervisor.js';
import { makeWorld, type TestWorld, uniqueId } from './test-support.js';
import type { Event } from './types.js';

let world: TestWorld;
let sup: Supervisor;

beforeEach(async () => {
  world = makeWorld();
  sup = await world.open();
});

afterEach(async () => {
  await world.cleanup();
});

describe('OOM events', () => {
  it('a task over its memory limit is killed (SIGKILL) and /tasks/oom names it', async () => {
    const id = uniqueId();
    const spec = world.spec(['sh', '-c', 'x=$(head -c 64000000 /dev/zero | tr "\\0" a); echo survived']);
    spec.linux!.resources = { memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } };
    const ac = new AbortController();
    const oom = sup.events.subscribe({
      filters: [`topic=="/tasks/oom",event.containerId==${id}`],
      signal: ac.signal,
    });
    await sup.containers.create('default', { id, spec });
    await sup.tasks.create('default', id);
    await sup.tasks.start('default', id);
    const got: Event[] = [];
    for await (const e of oom) {
      got.push(e);
      ac.abort();
    }
    expect(got[0]).toMatchObject({ topic: '/tasks/oom', event: { containerId: id } });
    const exit = await sup.tasks.wait('default', id);
    expect(exit.exitCode).not.toBe(0);
  });
});
