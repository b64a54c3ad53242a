// V2Manager on the host's real cgroup2 mount. On these hybrid hosts it has no controllers, but the core
// features (cgroup.procs, cgroup.freeze, cgroup.kill, cpu.stat) and device eBPF programs all work there.
import { closeSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bpfProgLoad, constants } from '@berth/native';
import { afterEach, describe, expect, it } from 'vitest';
import { detectLayout } from '../layout.js';
import { exitOf, spawnHeld, uniqueName } from '../test-helpers.js';
import { deviceFilterProgram, encodeProgram } from './devices-bpf.js';
import { V2Manager } from './manager.js';

const layout = detectLayout();
const mountPoint = layout.kind === 'legacy' ? undefined : layout.unified.mountPoint;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function manager(tag: string): V2Manager {
  const m = new V2Manager({ mountPoint: mountPoint!, path: `/${uniqueName(tag)}/leaf` });
  cleanups.push(async () => {
    try {
      await m.killAll();
    } finally {
      await m.destroy();
    }
  });
  m.create();
  return m;
}

async function stdoutOf(p: ReturnType<typeof spawnHeld>): Promise<string> {
  let out = '';
  p.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  await exitOf(p.child);
  return out;
}

describe.skipIf(!mountPoint)('V2Manager on the real cgroup2 mount', () => {
  it('the device eBPF program denies what the rules do not allow to processes in the cgroup', async () => {
    const m = manager('bpf');
    m.apply({
      devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, // /dev/null only
      ],
    });
    const p = spawnHeld(
      'head -c1 /dev/null && echo null-ok; if head -c1 /dev/zero >/dev/null 2>&1; then echo zero-ok; else echo zero-denied; fi',
      'pipe',
    );
    m.addProcess(p.pid);
    p.go();
    const out = await stdoutOf(p);
    expect(out.split('\n').filter(Boolean)).toEqual(['null-ok', 'zero-denied']);

    // Replacing the rules swaps the program (attach the new one, then detach the old).
    m.apply({ devices: [{ allow: true, access: 'rwm' }] });
    const q = spawnHeld(
      'if head -c1 /dev/zero >/dev/null; then echo zero-ok; else echo zero-denied; fi',
      'pipe',
    );
    m.addProcess(q.pid);
    q.go();
    expect((await stdoutOf(q)).trim()).toBe('zero-ok');
  });

  it('adds processes, freezes and thaws through cgroup.freeze, kills all through cgroup.kill', async () => {
    const m = manager('life');
    const p = spawnHeld('while :; do :; done');
    m.addProcess(p.pid);
    p.go();
    expect(m.pids()).toEqual([p.pid]);
    expect(readFileSync(`/proc/${p.pid}/cgroup`, 'utf8')).toContain(`0::${m.path}`);
    await m.freeze();
    expect(readFileSync(`${m.dir}/cgroup.events`, 'utf8')).toContain('frozen 1');
    await m.thaw();
    expect(readFileSync(`${m.dir}/cgroup.events`, 'utf8')).toContain('frozen 0');
    expect(m.stats().cpu.usage.total).toBeGreaterThan(0);
    await m.killAll();
    expect((await exitOf(p.child)).signal).toBe('SIGKILL');
    expect(m.pids()).toEqual([]);
  });

  it('refuses resources of controllers that are not enabled, naming the controller', () => {
    const m = manager('noctl');
    if (m.controllers().includes('memory')) return; // a host with v2 controllers: nothing to refuse
    expect(() => m.apply({ memory: { limit: 1 << 24 } })).toThrow(
      expect.objectContaining({ code: 'ECGROUPUNSUPPORTED', controller: 'memory' }),
    );
  });

  it('destroy removes the cgroup and the parent it made, and ends the event stream', async () => {
    const m = new V2Manager({ mountPoint: mountPoint!, path: `/${uniqueName('destroy')}/leaf` });
    m.create();
    try {
      const events = m.events();
      const ended = (async () => {
        let n = 0;
        for await (const _ of events) n++;
        return n;
      })();
      const p = spawnHeld('exec sleep 30');
      m.addProcess(p.pid);
      p.go();
      await m.killAll();
      await m.destroy();
      expect(await ended).toBe(0);
      expect(existsSync(m.dir)).toBe(false);
      expect(existsSync(dirname(m.dir))).toBe(false);
    } finally {
      await m.killAll();
      await m.destroy();
    }
  });

  it('the kernel verifier accepts the generated programs for typical and edge-case device lists', () => {
    const lists = [
      [],
      [{ allow: true }],
      [{ allow: false }, { allow: true }],
      [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 7, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
        { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
        { allow: true, type: 'c', major: 5, minor: 1, access: 'rw' },
        { allow: true, type: 'c', major: 136, access: 'rwm' },
        { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' },
        { allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' },
        { allow: true, type: 'b', access: 'm' },
        { allow: false, type: 'c', major: 1, minor: 9, access: 'w' },
      ],
    ] as const;
    for (const rules of lists) {
      const fd = bpfProgLoad(
        constants.BPF_PROG_TYPE_CGROUP_DEVICE!,
        encodeProgram(deviceFilterProgram(rules)),
        'Apache-2.0',
      );
      expect(fd).toBeGreaterThan(2);
      closeSync(fd);
    }
  });

  it('pids, killAll and destroy cover sub-cgroups the container made itself', async () => {
    const m = manager('nested');
    const sub = `${m.dir}/inner`;
    mkdirSync(sub);
    const p = spawnHeld('exec sleep 30');
    const q = spawnHeld('exec sleep 30');
    m.addProcess(p.pid);
    writeFileSync(`${sub}/cgroup.procs`, String(q.pid));
    p.go();
    q.go();
    expect(m.pids().sort()).toEqual([p.pid, q.pid].sort());
    await m.killAll();
    expect((await exitOf(q.child)).signal).toBe('SIGKILL');
    await m.destroy();
    expect(existsSync(sub)).toBe(false);
  });
});
