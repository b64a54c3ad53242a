import { describe, expect, it } from 'vitest';
import { emptyStats } from './stats.js';
import { toDockerStats, toOciEventStats } from './stats-formats.js';

function sample() {
  const s = emptyStats();
  s.cpu.usage = { total: 3000, perCpu: [1000, 2000], kernel: 500, user: 2500 };
  s.cpu.throttling = { periods: 10, throttledPeriods: 4, throttledTime: 99 };
  s.memory.usage = { usage: 4096, maxUsage: 8192, failcnt: 2, limit: 1 << 20 };
  s.memory.cache = 100;
  s.memory.raw = { total_cache: 100 };
  s.pids = { current: 3, limit: undefined };
  s.blkio.ioServiceBytesRecursive = [{ major: 8, minor: 0, op: 'Read', value: 512 }];
  s.hugetlb['2MB'] = { usage: 1, maxUsage: 2, failcnt: 0 };
  return s;
}

describe('wire shapes', () => {
  it('uses runc events --stats field names', () => {
    const o = toOciEventStats(sample());
    expect(o.cpu).toEqual({
      usage: { total: 3000, percpu: [1000, 2000], kernel: 500, user: 2500 },
      throttling: { periods: 10, throttledPeriods: 4, throttledTime: 99 },
    });
    expect(o.memory.usage).toEqual({ limit: 1 << 20, usage: 4096, max: 8192, failcnt: 2 });
    expect(o.memory.swap).toEqual({ usage: 0, max: 0, failcnt: 0 }); // no limit key when unlimited
    expect(o.pids).toEqual({ current: 3 });
    expect(o.hugetlb).toEqual({ '2MB': { usage: 1, max: 2, failcnt: 0 } });
  });

  it('uses Docker stats API field names and the host memory when unlimited', () => {
    const s = sample();
    const d = toDockerStats(s, { systemCpuUsage: 1e12, onlineCpus: 2, hostMemory: 8 << 30 });
    expect(d.cpu_stats.cpu_usage).toEqual({
      total_usage: 3000,
      percpu_usage: [1000, 2000],
      usage_in_kernelmode: 500,
      usage_in_usermode: 2500,
    });
    expect(d.cpu_stats.throttling_data).toEqual({ periods: 10, throttled_periods: 4, throttled_time: 99 });
    expect(d.memory_stats).toMatchObject({ usage: 4096, max_usage: 8192, failcnt: 2, limit: 1 << 20 });
    expect(d.blkio_stats.io_service_bytes_recursive).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 512 },
    ]);
    s.memory.usage.limit = undefined;
    expect(toDockerStats(s, { systemCpuUsage: 0, onlineCpus: 1, hostMemory: 42 }).memory_stats.limit).toBe(
      42,
    );
  });
});
