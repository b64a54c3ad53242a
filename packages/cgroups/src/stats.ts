// One shape of statistics for v1 and v2: the fields of the Docker Engine stats API (cpu_stats, memory_stats,
// pids_stats, blkio_stats) and of the OCI runtime `events --stats` output (runc's types.Stats). Units: bytes,
// nanoseconds, counts. A field the host cannot provide is 0 (counters) or undefined (limits that are "max").

export interface CpuUsage {
  /** Total CPU time consumed, ns. */
  total: number;
  /** Per-CPU time, ns (empty on v2, which does not report it). */
  perCpu: number[];
  /** Time in kernel mode, ns. */
  kernel: number;
  /** Time in user mode, ns. */
  user: number;
}

export interface CpuThrottling {
  periods: number;
  throttledPeriods: number;
  /** ns */
  throttledTime: number;
}

export interface CpuStats {
  usage: CpuUsage;
  throttling: CpuThrottling;
}

export interface MemoryEntry {
  usage: number;
  maxUsage: number;
  failcnt: number;
  /** undefined when unlimited. */
  limit: number | undefined;
}

export interface MemoryStats {
  /** Page cache (v1 `total_cache`, v2 `file`). */
  cache: number;
  /** Anonymous memory (v1 `total_rss`, v2 `anon`). */
  rss: number;
  usage: MemoryEntry;
  /** memory+swap on v1 (memsw), swap alone on v2. */
  swap: MemoryEntry;
  kernel: MemoryEntry;
  kernelTCP: MemoryEntry;
  /** OOM kills in this cgroup (v1 `memory.oom_control` oom_kill, v2 `memory.events` oom_kill). */
  oomKills: number;
  /** Times the limit was hit (v1 `memory.failcnt`, v2 `memory.events` max). */
  oomEvents: number;
  /** Every counter of memory.stat, as the kernel names it. */
  raw: Record<string, number>;
  useHierarchy: boolean;
}

export interface PidsStats {
  current: number;
  /** undefined when unlimited. */
  limit: number | undefined;
}

export interface BlkioEntry {
  major: number;
  minor: number;
  /** 'Read', 'Write', 'Sync', 'Async', 'Discard', 'Total' (Docker's names). */
  op: string;
  value: number;
}

export interface BlkioStats {
  ioServiceBytesRecursive: BlkioEntry[];
  ioServicedRecursive: BlkioEntry[];
}

export interface HugetlbStats {
  usage: number;
  maxUsage: number;
  failcnt: number;
}

export interface CgroupStats {
  cpu: CpuStats;
  memory: MemoryStats;
  pids: PidsStats;
  blkio: BlkioStats;
  /** Keyed by page size as in the file names ('2MB'). */
  hugetlb: Record<string, HugetlbStats>;
}

export function emptyMemoryEntry(): MemoryEntry {
  return { usage: 0, maxUsage: 0, failcnt: 0, limit: undefined };
}

export function emptyStats(): CgroupStats {
  return {
    cpu: {
      usage: { total: 0, perCpu: [], kernel: 0, user: 0 },
      throttling: { periods: 0, throttledPeriods: 0, throttledTime: 0 },
    },
    memory: {
      cache: 0,
      rss: 0,
      usage: emptyMemoryEntry(),
      swap: emptyMemoryEntry(),
      kernel: emptyMemoryEntry(),
      kernelTCP: emptyMemoryEntry(),
      oomKills: 0,
      oomEvents: 0,
      raw: {},
      useHierarchy: true,
    },
    pids: { current: 0, limit: undefined },
    blkio: { ioServiceBytesRecursive: [], ioServicedRecursive: [] },
    hugetlb: {},
  };
}

/** A controller's part of statistics: fills its section of `stats` from the files in `dir`. */
export interface StatsProvider {
  stats(dir: string, stats: CgroupStats): void;
}
