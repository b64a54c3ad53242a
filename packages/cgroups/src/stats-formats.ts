// The two wire shapes built from CgroupStats: runc's `events --stats` JSON (types.Stats in
// runc/types/events.go) and the cgroup part of the Docker Engine API's container stats.
import type { BlkioEntry, CgroupStats, MemoryEntry } from './stats.js';

interface OciMemoryEntry {
  limit?: number;
  usage?: number;
  max?: number;
  failcnt: number;
}

const ociEntry = (e: MemoryEntry): OciMemoryEntry => ({
  ...(e.limit === undefined ? {} : { limit: e.limit }),
  usage: e.usage,
  max: e.maxUsage,
  failcnt: e.failcnt,
});

/** `{ type: 'stats', id, data }`'s `data` for `berth-runtime events --stats`, with runc's field names. */
export function toOciEventStats(s: CgroupStats) {
  return {
    cpu: {
      usage: {
        total: s.cpu.usage.total,
        percpu: s.cpu.usage.perCpu,
        kernel: s.cpu.usage.kernel,
        user: s.cpu.usage.user,
      },
      throttling: {
        periods: s.cpu.throttling.periods,
        throttledPeriods: s.cpu.throttling.throttledPeriods,
        throttledTime: s.cpu.throttling.throttledTime,
      },
    },
    memory: {
      cache: s.memory.cache,
      usage: ociEntry(s.memory.usage),
      swap: ociEntry(s.memory.swap),
      kernel: ociEntry(s.memory.kernel),
      kernelTCP: ociEntry(s.memory.kernelTCP),
      raw: s.memory.raw,
    },
    pids: { current: s.pids.current, ...(s.pids.limit === undefined ? {} : { limit: s.pids.limit }) },
    blkio: {
      ioServiceBytesRecursive: s.blkio.ioServiceBytesRecursive,
      ioServicedRecursive: s.blkio.ioServicedRecursive,
    },
    hugetlb: Object.fromEntries(
      Object.entries(s.hugetlb).map(([size, h]) => [
        size,
        { usage: h.usage, max: h.maxUsage, failcnt: h.failcnt },
      ]),
    ),
  };
}

export interface DockerStatsContext {
  /** Host CPU time in ns since boot (Docker reads /proc/stat): the denominator of `docker stats` CPU %. */
  systemCpuUsage: number;
  onlineCpus: number;
  /** Reported as the memory limit when the cgroup has none (Docker shows the host's memory). */
  hostMemory: number;
}

const dockerBlkio = (list: BlkioEntry[]) =>
  list.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value }));

/** cpu_stats, memory_stats, pids_stats and blkio_stats of GET /containers/{id}/stats. */
export function toDockerStats(s: CgroupStats, ctx: DockerStatsContext) {
  return {
    cpu_stats: {
      cpu_usage: {
        total_usage: s.cpu.usage.total,
        ...(s.cpu.usage.perCpu.length > 0 ? { percpu_usage: s.cpu.usage.perCpu } : {}),
        usage_in_kernelmode: s.cpu.usage.kernel,
        usage_in_usermode: s.cpu.usage.user,
      },
      system_cpu_usage: ctx.systemCpuUsage,
      online_cpus: ctx.onlineCpus,
      throttling_data: {
        periods: s.cpu.throttling.periods,
        throttled_periods: s.cpu.throttling.throttledPeriods,
        throttled_time: s.cpu.throttling.throttledTime,
      },
    },
    memory_stats: {
      usage: s.memory.usage.usage,
      ...(s.memory.usage.maxUsage > 0 ? { max_usage: s.memory.usage.maxUsage } : {}),
      stats: s.memory.raw,
      failcnt: s.memory.usage.failcnt,
      limit: s.memory.usage.limit ?? ctx.hostMemory,
    },
    pids_stats: { current: s.pids.current, ...(s.pids.limit === undefined ? {} : { limit: s.pids.limit }) },
    blkio_stats: {
      io_service_bytes_recursive: dockerBlkio(s.blkio.ioServiceBytesRecursive),
      io_serviced_recursive: dockerBlkio(s.blkio.ioServicedRecursive),
      io_queue_recursive: [],
      io_service_time_recursive: [],
      io_wait_time_recursive: [],
      io_merged_recursive: [],
      io_time_recursive: [],
      sectors_recursive: [],
    },
  };
}
