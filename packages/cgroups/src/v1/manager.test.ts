import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCgroupError } from '../errors.js';
import type { CgroupEvent } from '../events.js';
import { detectLayout } from '../layout.js';
import { eventually, exitOf, spawnHeld, uniqueName } from '../test-helpers.js';
import { V1Manager } from './manager.js';

const layout = detectLayout();
const v1 = layout.kind === 'unified' ? undefined : layout.v1;
const cleanups: Array<() => Promise<void>> = [];

function manager(tag: string): V1Manager {
  const m = new V1Manager({ hierarchies: v1!, path: `/${uniqueName(tag)}` });
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

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function read(dir: string | undefined, file: string): string {
  return readFileSync(join(dir!, file), 'utf8').trim();
}

describe.skipIf(!v1)('V1Manager on the real kernel', () => {
  it('creates a directory per hierarchy, applies limits, and destroy removes every directory it made', async () => {
    const parent = `/${uniqueName('tree')}`;
    const m = new V1Manager({ hierarchies: v1!, path: `${parent}/inner/leaf` });
    try {
      m.create();
      m.apply({
        memory: { limit: 64 * 1024 * 1024, reservation: 32 * 1024 * 1024, swappiness: 10 },
        cpu: { shares: 512, quota: 50_000, period: 100_000, cpus: '0', mems: '0' },
        pids: { limit: 42 },
      });
      expect(read(m.dirs.memory, 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
      expect(read(m.dirs.memory, 'memory.soft_limit_in_bytes')).toBe(String(32 * 1024 * 1024));
      expect(read(m.dirs.memory, 'memory.swappiness')).toBe('10');
      expect(read(m.dirs.cpu, 'cpu.shares')).toBe('512');
      expect(read(m.dirs.cpu, 'cpu.cfs_quota_us')).toBe('50000');
      expect(read(m.dirs.cpuset, 'cpuset.cpus')).toBe('0');
      expect(read(m.dirs.pids, 'pids.max')).toBe('42');
    } finally {
      await m.destroy();
    }
    for (const dir of Object.values(m.dirs)) {
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(join(dir, '..', '..'))).toBe(false); // the parent this manager made is gone too
    }
  });

  it('writes -1 as unlimited and 0 pids as a valid limit', () => {
    const m = manager('unlimited');
    m.apply({ memory: { limit: 32 * 1024 * 1024 }, pids: { limit: 0 } });
    expect(read(m.dirs.pids, 'pids.max')).toBe('0');
    m.apply({ memory: { limit: -1 }, cpu: { quota: -1 }, pids: { limit: -1 } });
    expect(Number(read(m.dirs.memory, 'memory.limit_in_bytes'))).toBeGreaterThan(2 ** 62);
    expect(read(m.dirs.cpu, 'cpu.cfs_quota_us')).toBe('-1');
    expect(read(m.dirs.pids, 'pids.max')).toBe('max');
  });

  it('orders memory and memory+swap writes so the kernel accepts raising and lowering both', () => {
    const m = manager('memsw');
    if (!existsSync(join(m.dirs.memory!, 'memory.memsw.limit_in_bytes'))) return;
    m.apply({ memory: { limit: 32 * 1024 * 1024, swap: 64 * 1024 * 1024 } });
    m.apply({ memory: { limit: 128 * 1024 * 1024, swap: 256 * 1024 * 1024 } });
    expect(read(m.dirs.memory, 'memory.memsw.limit_in_bytes')).toBe(String(256 * 1024 * 1024));
    m.apply({ memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } });
    expect(read(m.dirs.memory, 'memory.limit_in_bytes')).toBe(String(16 * 1024 * 1024));
    expect(read(m.dirs.memory, 'memory.memsw.limit_in_bytes')).toBe(String(16 * 1024 * 1024));
  });

  it('rejects values the host cannot honour with the controller and file named', () => {
    const m = manager('bad');
    const attempt = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const swap = attempt(() => m.apply({ memory: { limit: 64 << 20, swap: 32 << 20 } }));
    expect(isCgroupError(swap, 'ECGROUPUNSUPPORTED')).toBe(true);
    const cpus = attempt(() => m.apply({ cpu: { cpus: '4096' } }));
    expect(isCgroupError(cpus, 'ECGROUPFILE')).toBe(true);
    expect(cpus).toMatchObject({ controller: 'cpuset', file: join(m.dirs.cpuset!, 'cpuset.cpus') });
    expect((cpus as Error).message).toMatch(/cpuset\.cpus.*E[A-Z]+/);
    // Current kernels keep hierarchy on: turning it off is refused by the kernel itself.
    const hierarchy = attempt(() => m.apply({ memory: { useHierarchy: false } }));
    expect(hierarchy).toMatchObject({ code: 'ECGROUPFILE', controller: 'memory', errno: 'EINVAL' });
    expect((hierarchy as Error).message).toContain('memory.use_hierarchy');
    const unified = attempt(() => m.apply({ unified: { 'memory.high': '1M' } }));
    expect(unified).toMatchObject({ code: 'ECGROUPUNSUPPORTED', controller: 'unified', file: 'memory.high' });
  });

  it('writes kernel and TCP memory limits where the kernel still has the files', () => {
    const m = manager('kmem');
    if (!existsSync(join(m.dirs.memory!, 'memory.kmem.tcp.limit_in_bytes'))) return;
    m.apply({ memory: { kernelTCP: 8 << 20, disableOOMKiller: false } });
    expect(read(m.dirs.memory, 'memory.kmem.tcp.limit_in_bytes')).toBe(String(8 << 20));
    expect(read(m.dirs.memory, 'memory.oom_control')).toMatch(/^oom_kill_disable 0/);
  });

  it('applies v1 device rules in order after denying all', () => {
    const m = manager('devices');
    m.apply({
      devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
        { allow: true, type: 'c', major: 136, access: 'rw' },
      ],
    });
    expect(read(m.dirs.devices, 'devices.list').split('\n')).toEqual(['c 1:3 rwm', 'c 136:* rw']);
  });

  it('updates device rules in place: the kernel list ends up as the new OCI list says', () => {
    const m = manager('devupdate');
    m.apply({
      devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
        { allow: true, type: 'c', major: 136, access: 'rw' },
        { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
      ],
    });
    m.apply({
      devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'r' },
        { allow: true, type: 'c', major: 136, access: 'rwm' },
        { allow: true, type: 'b', major: 8, minor: 0, access: 'm' },
      ],
    });
    expect(new Set(read(m.dirs.devices, 'devices.list').split('\n'))).toEqual(
      new Set(['b 8:0 m', 'c 1:3 r', 'c 136:* rwm']),
    );
  });

  it('OOM-kills a process allocating 64 MiB under a 16 MiB limit and reports the OOM event', async () => {
    const m = manager('oom');
    m.apply({ memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } });
    const ac = new AbortController();
    const events = m.events({ signal: ac.signal });
    const seen: CgroupEvent[] = [];
    const collecting = (async () => {
      for await (const e of events) {
        seen.push(e);
        if (e.type === 'oom') break; // v1 notifies as the OOM starts: oom_kill may not be counted yet
      }
    })();
    // dd allocates a 64 MiB buffer and fills it from /dev/zero: deterministic, no swap to hide in.
    const p = spawnHeld('exec /bin/busybox dd if=/dev/zero of=/dev/null bs=64M count=1');
    try {
      m.addProcess(p.pid);
      p.go();
      const exit = await exitOf(p.child);
      expect(exit.signal).toBe('SIGKILL');
      await collecting;
    } finally {
      ac.abort();
    }
    expect(seen.some((e) => e.type === 'oom')).toBe(true);
    const s = m.stats();
    expect(s.memory.oomKills).toBeGreaterThanOrEqual(1);
    expect(s.memory.usage.limit).toBe(16 * 1024 * 1024);
  });

  // Callers (the supervisor) close the watcher when the container's process exits. The kernel notifies
  // the OOM before it kills, but on a loaded machine the exit can reach the caller in the same loop turn
  // as the eventfd, first: the OOM must still be reported, not dropped by the close.
  it('an OOM already notified when the watcher is closed is still reported', async () => {
    const m = manager('oomclose');
    m.apply({ memory: { limit: 16 * 1024 * 1024, swap: 16 * 1024 * 1024 } });
    const ac = new AbortController();
    const events = m.events({ signal: ac.signal });
    const collecting = (async () => {
      const seen: CgroupEvent[] = [];
      for await (const e of events) seen.push(e);
      return seen;
    })();
    const p = spawnHeld('exec /bin/busybox dd if=/dev/zero of=/dev/null bs=64M count=1');
    try {
      m.addProcess(p.pid);
      p.go();
      // Without yielding to the event loop (so the eventfd's poll cannot run): wait for the kill, which
      // the kernel counts after it has notified, then close the watcher as a caller does on the exit.
      const nap = new Int32Array(new SharedArrayBuffer(4));
      const oomKills = () => /^oom_kill (\d+)$/m.exec(read(m.dirs.memory, 'memory.oom_control'))?.[1];
      for (const until = Date.now() + 20_000; Number(oomKills() ?? 0) < 1 && Date.now() < until; )
        Atomics.wait(nap, 0, 0, 10);
      ac.abort();
      expect((await collecting).filter((e) => e.type === 'oom')).toHaveLength(1);
    } finally {
      ac.abort();
      await exitOf(p.child);
    }
  });

  it('pids limit 5 stops a fork bomb started inside the cgroup, and killAll ends it', async () => {
    const m = manager('forkbomb');
    m.apply({ pids: { limit: 5 } });
    const ac = new AbortController();
    const events = m.events({ signal: ac.signal, v1PidsPollMs: 50 });
    // The bomb is held until it is inside the cgroup; every process it makes inherits the cgroup.
    const p = spawnHeld('b(){ b|b& };b');
    try {
      m.addProcess(p.pid);
      p.go();
      let hit: CgroupEvent | undefined;
      for await (const e of events) {
        if (e.type === 'pids-limit') {
          hit = e;
          break;
        }
      }
      expect(hit).toMatchObject({ type: 'pids-limit' });
      const s = m.stats();
      expect(s.pids.limit).toBe(5);
      expect(s.pids.current).toBeLessThanOrEqual(5);
    } finally {
      ac.abort();
      await m.killAll();
    }
    expect(m.pids()).toEqual([]);
  });

  it('cpu quota throttles a busy loop (nr_throttled > 0 in stats)', async () => {
    const m = manager('cpu');
    m.apply({ cpu: { quota: 5_000, period: 10_000 } });
    const p = spawnHeld('while :; do :; done');
    m.addProcess(p.pid);
    p.go();
    await eventually(() => m.stats().cpu.throttling.throttledPeriods > 0, 'throttled periods');
    const s = m.stats();
    expect(s.cpu.throttling.periods).toBeGreaterThan(0);
    expect(s.cpu.usage.total).toBeGreaterThan(0);
    expect(s.cpu.usage.perCpu.length).toBeGreaterThan(0);
    expect(m.pids()).toEqual([p.pid]);
  });

  it('freezes and thaws, and killAll leaves the cgroup empty', async () => {
    const m = manager('freeze');
    const p = spawnHeld('while :; do :; done');
    m.addProcess(p.pid);
    p.go();
    await m.freeze();
    expect(read(m.dirs.freezer, 'freezer.state')).toBe('FROZEN');
    expect(readFileSync(`/proc/${p.pid}/status`, 'utf8')).toMatch(/State:\s+[DS]/);
    await m.thaw();
    expect(read(m.dirs.freezer, 'freezer.state')).toBe('THAWED');
    await m.killAll();
    expect((await exitOf(p.child)).signal).toBe('SIGKILL');
    expect(m.pids()).toEqual([]);
  });

  it('writes blkio throttle rules per device, and refuses a weight without a proportional scheduler', () => {
    const m = manager('blkio');
    const dev = readFileSync('/proc/partitions', 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f.length === 4 && /^\d+$/.test(f[0]!) && f[1] === '0');
    if (!dev) return; // no whole-disk block device on this host
    const [major, minor] = [Number(dev[0]), Number(dev[1])];
    m.apply({
      blockIO: {
        throttleReadBpsDevice: [{ major, minor, rate: 1 << 20 }],
        throttleWriteIOPSDevice: [{ major, minor, rate: 100 }],
      },
    });
    expect(read(m.dirs.blkio, 'blkio.throttle.read_bps_device')).toBe(`${major}:${minor} ${1 << 20}`);
    expect(read(m.dirs.blkio, 'blkio.throttle.write_iops_device')).toBe(`${major}:${minor} 100`);
    m.apply({ blockIO: { throttleReadBpsDevice: [{ major, minor, rate: 0 }] } }); // 0 removes the rule
    expect(read(m.dirs.blkio, 'blkio.throttle.read_bps_device')).toBe('');
    const hasWeight = ['blkio.weight', 'blkio.bfq.weight'].some((f) => existsSync(join(m.dirs.blkio!, f)));
    if (!hasWeight) {
      expect(() => m.apply({ blockIO: { weight: 500 } })).toThrow(
        expect.objectContaining({ code: 'ECGROUPUNSUPPORTED', controller: 'blkio', file: 'blkio.weight' }),
      );
    }
  });

  it('ends the event stream when the cgroup is destroyed', async () => {
    const m = manager('evend');
    const events = m.events({ v1PidsPollMs: 20 });
    const ended = (async () => {
      const got: CgroupEvent[] = [];
      for await (const e of events) got.push(e);
      return got;
    })();
    await m.destroy();
    expect(await ended).toEqual([]);
  });
});
