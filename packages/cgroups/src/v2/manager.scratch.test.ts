// V2Manager against a scratch directory shaped like cgroupfs: the "kernel" here is the fixture below,
// which makes each cgroup directory with the files and default contents that
// Documentation/admin-guide/cgroup-v2.rst gives them. Tests read back exactly what the manager wrote.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CgroupEvent } from '../events.js';
import { sharesToWeight } from './cpu.js';
import { blkioWeightToIoWeight, ioMaxLines } from './io.js';
import { V2Manager } from './manager.js';
import { swapMaxValue } from './memory.js';

const ALL = 'cpuset cpu io memory hugetlb pids rdma misc';

/** What the kernel puts in a new cgroup directory whose parent enabled `controllers`. */
function kernelMkdir(dir: string, controllers: string, root = false): void {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'cgroup.controllers': `${controllers}\n`,
    'cgroup.subtree_control': '\n',
    'cgroup.procs': '',
    'cgroup.events': 'populated 0\nfrozen 0\n',
    'cgroup.freeze': '0\n',
    'cgroup.type': 'domain\n',
    'cpu.stat': 'usage_usec 0\nuser_usec 0\nsystem_usec 0\n',
  };
  const has = new Set(controllers.split(' '));
  if (!root) {
    if (has.has('cpu')) {
      Object.assign(files, {
        'cpu.weight': '100\n',
        'cpu.weight.nice': '0\n',
        'cpu.max': 'max 100000\n',
        'cpu.max.burst': '0\n',
        'cpu.idle': '0\n',
        'cpu.stat':
          'usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n',
      });
    }
    if (has.has('cpuset')) Object.assign(files, { 'cpuset.cpus': '\n', 'cpuset.mems': '\n' });
    if (has.has('memory')) {
      Object.assign(files, {
        'memory.current': '0\n',
        'memory.peak': '0\n',
        'memory.min': '0\n',
        'memory.low': '0\n',
        'memory.high': 'max\n',
        'memory.max': 'max\n',
        'memory.swap.current': '0\n',
        'memory.swap.max': 'max\n',
        'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
        'memory.stat': 'anon 0\nfile 0\nkernel 0\nsock 0\n',
        'memory.oom.group': '0\n',
      });
    }
    if (has.has('io')) Object.assign(files, { 'io.max': '', 'io.weight': 'default 100\n', 'io.stat': '' });
    if (has.has('pids'))
      Object.assign(files, { 'pids.max': 'max\n', 'pids.current': '0\n', 'pids.events': 'max 0\n' });
    if (has.has('rdma')) files['rdma.max'] = '';
    if (has.has('hugetlb')) {
      Object.assign(files, {
        'hugetlb.2MB.max': 'max\n',
        'hugetlb.2MB.current': '0\n',
        'hugetlb.2MB.events': 'max 0\n',
        'hugetlb.1GB.max': 'max\n',
        'hugetlb.1GB.current': '0\n',
        'hugetlb.1GB.events': 'max 0\n',
      });
    }
  }
  for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), v);
}

let root: string;
let m: V2Manager;
const read = (file: string) => readFileSync(join(m.dir, file), 'utf8');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-test-cgv2-'));
  kernelMkdir(root, ALL, true);
  kernelMkdir(join(root, 'berth'), ALL);
  kernelMkdir(join(root, 'berth', 'ctr'), ALL);
  m = new V2Manager({ mountPoint: root, path: '/berth/ctr' });
  m.create();
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('create', () => {
  it('enables every available controller in each ancestor, top-down, in one write', () => {
    const want = '+cpuset +cpu +io +memory +hugetlb +pids +rdma +misc';
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe(want);
    expect(readFileSync(join(root, 'berth', 'cgroup.subtree_control'), 'utf8')).toBe(want);
    expect(read('cgroup.subtree_control')).toBe('\n'); // the leaf keeps its processes: no-internal-process rule
  });
});

describe('memory', () => {
  it('writes memory.max, memory.low and memory.swap.max = swap - limit', () => {
    m.apply({ memory: { limit: 256 << 20, reservation: 128 << 20, swap: 512 << 20, kernel: 1 << 20 } });
    expect(read('memory.max')).toBe(String(256 << 20));
    expect(read('memory.low')).toBe(String(128 << 20));
    expect(read('memory.swap.max')).toBe(String(256 << 20));
  });

  it('writes max for -1, 0 swap when swap equals the limit, and max swap when memory is unlimited', () => {
    m.apply({ memory: { limit: 64 << 20, swap: 64 << 20 } });
    expect(read('memory.swap.max')).toBe('0');
    m.apply({ memory: { limit: -1 } });
    expect(read('memory.max')).toBe('max');
    expect(read('memory.swap.max')).toBe('max');
    m.apply({ memory: { limit: 32 << 20, swap: -1 } });
    expect(read('memory.swap.max')).toBe('max');
  });

  it('0 is a valid memory limit and is written as-is; swap 0 means unset', () => {
    m.apply({ memory: { limit: 0 } });
    expect(read('memory.max')).toBe('0');
    expect(swapMaxValue(0, 64)).toBeUndefined();
  });

  it('checkBeforeUpdate refuses a limit below current usage', () => {
    writeFileSync(join(m.dir, 'memory.current'), `${64 << 20}\n`);
    expect(() => m.apply({ memory: { limit: 32 << 20, checkBeforeUpdate: true } })).toThrow(
      /below current usage/,
    );
    m.apply({ memory: { limit: 32 << 20 } }); // without the check the kernel reclaims or OOM-kills
    expect(read('memory.max')).toBe(String(32 << 20));
  });

  it('refuses what v2 cannot express, naming the controller and file', () => {
    expect(() => m.apply({ memory: { swap: 64 << 20 } })).toThrow(
      expect.objectContaining({ code: 'ECGROUPUNSUPPORTED', controller: 'memory', file: 'memory.swap.max' }),
    );
    expect(() => m.apply({ memory: { limit: 64 << 20, swap: 32 << 20 } })).toThrow(/must be >= memory limit/);
    expect(() => m.apply({ memory: { swappiness: 0 } })).toThrow(
      expect.objectContaining({ controller: 'memory', file: 'memory.swappiness' }),
    );
    expect(() => m.apply({ memory: { disableOOMKiller: true } })).toThrow(/cannot be disabled/);
  });
});

describe('cpu', () => {
  it('converts OCI shares to cpu.weight (2 → 1, 1024 → 100, 262144 → 10000)', () => {
    expect([2, 1024, 262144].map(sharesToWeight)).toEqual([1, 100, 10000]);
    expect(sharesToWeight(0)).toBe(0);
    expect(sharesToWeight(512)).toBeLessThan(100);
    expect(sharesToWeight(4096)).toBeGreaterThan(100);
    m.apply({ cpu: { shares: 1024 } });
    expect(read('cpu.weight')).toBe('100');
  });

  it('writes cpu.max as "$MAX $PERIOD" with max for no quota', () => {
    m.apply({ cpu: { quota: 50_000, period: 100_000 } });
    expect(read('cpu.max')).toBe('50000 100000');
    m.apply({ cpu: { quota: -1, period: 250_000 } });
    expect(read('cpu.max')).toBe('max 250000');
    m.apply({ cpu: { quota: 20_000 } });
    expect(read('cpu.max')).toBe('20000');
    m.apply({ cpu: { period: 10_000 } });
    expect(read('cpu.max')).toBe('max 10000');
  });

  it('writes burst, idle and cpuset, and refuses realtime', () => {
    m.apply({ cpu: { burst: 1000, idle: 1, cpus: '0-1', mems: '0' } });
    expect(read('cpu.max.burst')).toBe('1000');
    expect(read('cpu.idle')).toBe('1');
    expect(read('cpuset.cpus')).toBe('0-1');
    expect(read('cpuset.mems')).toBe('0');
    expect(() => m.apply({ cpu: { realtimeRuntime: 1000, realtimePeriod: 10_000 } })).toThrow(
      expect.objectContaining({ code: 'ECGROUPUNSUPPORTED', controller: 'cpu' }),
    );
  });
});

describe('pids', () => {
  it('writes a negative limit as max and 0 as a valid limit', () => {
    m.apply({ pids: { limit: 0 } });
    expect(read('pids.max')).toBe('0');
    m.apply({ pids: { limit: -1 } });
    expect(read('pids.max')).toBe('max');
    m.apply({ pids: { limit: 5 } });
    expect(read('pids.max')).toBe('5');
  });
});

describe('io', () => {
  it('converts the blkio weight range 10..1000 to io.weight 1..10000', () => {
    expect([10, 500, 1000].map(blkioWeightToIoWeight)).toEqual([1, 4950, 10000]);
    m.apply({ blockIO: { weight: 500, weightDevice: [{ major: 8, minor: 0, weight: 1000 }] } });
    // Each write is its own rule; the scratch file keeps the last one written.
    expect(read('io.weight')).toBe('8:0 10000');
  });

  it('writes the weight as-is to io.bfq.weight when BFQ is there', () => {
    writeFileSync(join(m.dir, 'io.bfq.weight'), 'default 100\n');
    m.apply({ blockIO: { weight: 300 } });
    expect(read('io.bfq.weight')).toBe('default 300');
  });

  it('writes one io.max line per device with only the keys set; rate 0 is max', () => {
    const b = {
      throttleReadBpsDevice: [
        { major: 8, minor: 0, rate: 1 << 20 },
        { major: 8, minor: 16, rate: 0 },
      ],
      throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 100 }],
    };
    expect(ioMaxLines(b)).toEqual(['8:0 rbps=1048576 wiops=100', '8:16 rbps=max']);
    m.apply({ blockIO: { throttleWriteBpsDevice: [{ major: 253, minor: 1, rate: 4096 }] } });
    expect(read('io.max')).toBe('253:1 wbps=4096');
  });

  it('refuses leaf weights', () => {
    expect(() => m.apply({ blockIO: { leafWeight: 100 } })).toThrow(
      expect.objectContaining({ controller: 'io', file: 'io.weight' }),
    );
  });
});

describe('input', () => {
  it('checks the resources against the runtime-spec schema, naming the JSON path', () => {
    expect(() => m.apply({ memory: { limit: '64m' } } as never)).toThrow(
      expect.objectContaining({ code: 'EINVALIDSPEC', message: expect.stringContaining('linux.resources') }),
    );
  });
});

describe('rdma', () => {
  it('writes one rdma.max line per device with only the keys set', () => {
    m.apply({ rdma: { mlx5_1: { hcaHandles: 2, hcaObjects: 2000 } } });
    expect(read('rdma.max')).toBe('mlx5_1 hca_handle=2 hca_object=2000');
    m.apply({ rdma: { mlx4_0: { hcaObjects: 10 } } });
    expect(read('rdma.max')).toBe('mlx4_0 hca_object=10');
  });
});

describe('hugetlb and unified', () => {
  it('writes hugetlb.<size>.max', () => {
    m.apply({ hugepageLimits: [{ pageSize: '2MB', limit: 4 << 21 }] });
    expect(read('hugetlb.2MB.max')).toBe(String(4 << 21));
  });

  it('writes unified keys last, as-is', () => {
    m.apply({ memory: { limit: 1 << 30 }, unified: { 'memory.max': '2147483648', 'memory.oom.group': '1' } });
    expect(read('memory.max')).toBe('2147483648');
    expect(read('memory.oom.group')).toBe('1');
  });

  it('refuses unified keys that are not files of an enabled controller', () => {
    expect(() => m.apply({ unified: { '../escape': '1' } })).toThrow(/not a cgroup file name/);
    expect(() => m.apply({ unified: { 'memory.nonexistent': '1' } })).toThrow(
      expect.objectContaining({ controller: 'memory', file: 'memory.nonexistent' }),
    );
    writeFileSync(join(m.dir, 'cgroup.controllers'), 'cpu memory\n');
    expect(() => m.apply({ unified: { 'pids.max': '5' } })).toThrow(/pids controller is not enabled/);
    expect(() => m.apply({ pids: { limit: 5 } })).toThrow(/pids controller is not enabled/);
  });
});

describe('stats', () => {
  it('reads v2 files into the shared stats shape (µs → ns, anon → rss, file → cache)', () => {
    writeFileSync(join(m.dir, 'memory.current'), '3000\n');
    writeFileSync(join(m.dir, 'memory.peak'), '5000\n');
    writeFileSync(join(m.dir, 'memory.max'), '1048576\n');
    writeFileSync(join(m.dir, 'memory.stat'), 'anon 1000\nfile 2000\nkernel 100\nsock 7\n');
    writeFileSync(
      join(m.dir, 'memory.events'),
      'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n',
    );
    writeFileSync(join(m.dir, 'memory.swap.current'), '10\n');
    writeFileSync(
      join(m.dir, 'cpu.stat'),
      'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\nnr_throttled 2\nthrottled_usec 300\n',
    );
    writeFileSync(join(m.dir, 'io.stat'), '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n');
    writeFileSync(join(m.dir, 'pids.current'), '3\n');
    writeFileSync(join(m.dir, 'pids.max'), '10\n');
    writeFileSync(join(m.dir, 'hugetlb.2MB.current'), '2097152\n');
    writeFileSync(join(m.dir, 'hugetlb.2MB.events'), 'max 4\n');
    const s = m.stats();
    expect(s.cpu.usage).toEqual({ total: 1_500_000, user: 1_000_000, kernel: 500_000, perCpu: [] });
    expect(s.cpu.throttling).toEqual({ periods: 10, throttledPeriods: 2, throttledTime: 300_000 });
    expect(s.memory.usage).toEqual({ usage: 3000, maxUsage: 5000, failcnt: 3, limit: 1048576 });
    expect(s.memory.swap).toMatchObject({ usage: 10, limit: undefined });
    expect(s.memory).toMatchObject({ rss: 1000, cache: 2000, oomKills: 1, oomEvents: 1 });
    expect(s.memory.raw.anon).toBe(1000);
    expect(s.pids).toEqual({ current: 3, limit: 10 });
    expect(s.blkio.ioServiceBytesRecursive).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 8192 },
      { major: 8, minor: 0, op: 'Discard', value: 0 },
    ]);
    expect(s.blkio.ioServicedRecursive[1]).toEqual({ major: 8, minor: 0, op: 'Write', value: 2 });
    expect(s.hugetlb['2MB']).toEqual({ usage: 2097152, maxUsage: 0, failcnt: 4 });
  });
});

describe('freezer and events (inotify on the scratch files)', () => {
  it('freeze writes cgroup.freeze and waits for cgroup.events to say frozen', async () => {
    const freezing = m.freeze();
    expect(read('cgroup.freeze')).toBe('1');
    writeFileSync(join(m.dir, 'cgroup.events'), 'populated 1\nfrozen 1\n'); // the "kernel" settles
    await freezing;
    const thawing = m.thaw();
    expect(read('cgroup.freeze')).toBe('0');
    writeFileSync(join(m.dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
    await thawing;
  });

  it('reports oom kills from memory.events and refused forks from pids.events', async () => {
    const ac = new AbortController();
    const it = m.events({ signal: ac.signal });
    const seen: CgroupEvent[] = [];
    const collecting = (async () => {
      for await (const e of it) {
        seen.push(e);
        if (seen.length === 2) ac.abort();
      }
    })();
    writeFileSync(
      join(m.dir, 'memory.events'),
      'low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n',
    );
    writeFileSync(join(m.dir, 'pids.events'), 'max 3\n');
    await collecting;
    expect(seen).toContainEqual({ type: 'oom', oomKills: 1 });
    expect(seen).toContainEqual({ type: 'pids-limit', count: 3 });
  });
});
