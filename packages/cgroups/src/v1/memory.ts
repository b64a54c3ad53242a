import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { parseFlatKeyed, readCgroupFile, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxMemory, LinuxResources } from '../resources.js';
import type { CgroupStats, MemoryEntry, StatsProvider } from '../stats.js';

export const MEMORY_LIMIT = 'memory.limit_in_bytes';
export const MEMORY_SOFT_LIMIT = 'memory.soft_limit_in_bytes';
export const MEMORY_MEMSW_LIMIT = 'memory.memsw.limit_in_bytes';
export const MEMORY_KMEM_LIMIT = 'memory.kmem.limit_in_bytes';
export const MEMORY_KMEM_TCP_LIMIT = 'memory.kmem.tcp.limit_in_bytes';
export const MEMORY_SWAPPINESS = 'memory.swappiness';
export const MEMORY_OOM_CONTROL = 'memory.oom_control';
export const MEMORY_USE_HIERARCHY = 'memory.use_hierarchy';
export const MEMORY_STAT = 'memory.stat';
export const MEMORY_FAILCNT = 'memory.failcnt';

const NAME = 'memory';
// v1 reports "no limit" as PAGE_COUNTER_MAX * PAGE_SIZE (9223372036854771712 on x86-64): anything this big.
const V1_UNLIMITED_FLOOR = 2 ** 62;

function limitValue(n: number): string {
  // A negative limit means unlimited (v1 takes -1); 0 is a valid limit and is written as-is.
  return n < 0 ? '-1' : String(n);
}

function setLimitAndSwap(m: LinuxMemory, dir: string): void {
  let swap = m.swap === 0 ? undefined : m.swap; // swap 0 means "not set" (runc's semantics)
  const limit = m.limit;
  // Setting memory to unlimited without a swap value sets memory+swap unlimited too (else the old memsw,
  // lower than the new limit, would make the write fail).
  if (limit !== undefined && limit < 0 && swap === undefined) swap = -1;
  const hasMemsw = readOptionalCgroupFile(NAME, dir, MEMORY_MEMSW_LIMIT) !== undefined;
  if (swap !== undefined && !hasMemsw) {
    if (swap < 0)
      swap = undefined; // unlimited swap is what a host without swap accounting has anyway
    else throw unsupported(NAME, MEMORY_MEMSW_LIMIT, 'swap limit set but the kernel has no swap accounting');
  }
  if (limit !== undefined && swap !== undefined) {
    if (swap >= 0 && limit >= 0 && swap < limit) {
      throw unsupported(NAME, MEMORY_MEMSW_LIMIT, `memory+swap (${swap}) must be >= memory limit (${limit})`);
    }
    // The kernel keeps limit <= memsw at every step: raise memsw first when it grows, else lower limit first.
    const current = Number(readCgroupFile(NAME, dir, MEMORY_MEMSW_LIMIT));
    if (swap < 0 || current < swap) {
      writeCgroupFile(NAME, dir, MEMORY_MEMSW_LIMIT, limitValue(swap));
      writeCgroupFile(NAME, dir, MEMORY_LIMIT, limitValue(limit));
    } else {
      writeCgroupFile(NAME, dir, MEMORY_LIMIT, limitValue(limit));
      writeCgroupFile(NAME, dir, MEMORY_MEMSW_LIMIT, limitValue(swap));
    }
  } else if (limit !== undefined) {
    writeCgroupFile(NAME, dir, MEMORY_LIMIT, limitValue(limit));
  } else if (swap !== undefined) {
    writeCgroupFile(NAME, dir, MEMORY_MEMSW_LIMIT, limitValue(swap));
  }
}

function entry(dir: string, prefix: string): MemoryEntry | undefined {
  const usage = readOptionalCgroupFile(NAME, dir, `${prefix}.usage_in_bytes`);
  if (usage === undefined) return undefined;
  const limit = Number(readOptionalCgroupFile(NAME, dir, `${prefix}.limit_in_bytes`) ?? Number.NaN);
  return {
    usage: Number(usage),
    maxUsage: Number(readOptionalCgroupFile(NAME, dir, `${prefix}.max_usage_in_bytes`) ?? 0),
    failcnt: Number(readOptionalCgroupFile(NAME, dir, `${prefix}.failcnt`) ?? 0),
    limit: Number.isFinite(limit) && limit < V1_UNLIMITED_FLOOR ? limit : undefined,
  };
}

export const memory: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    const m = r.memory;
    if (!m) return false;
    return Object.values(m).some((v) => v !== undefined);
  },
  apply(r: LinuxResources, dir: string): void {
    const m = r.memory;
    if (!m) return;
    // checkBeforeUpdate: refuse a limit below what the cgroup already uses instead of OOM-killing it.
    if (m.checkBeforeUpdate && m.limit !== undefined && m.limit >= 0) {
      const current = Number(readCgroupFile(NAME, dir, 'memory.usage_in_bytes'));
      if (m.limit < current) {
        throw unsupported(
          NAME,
          MEMORY_LIMIT,
          `new limit ${m.limit} is below current usage ${current} (checkBeforeUpdate)`,
        );
      }
    }
    setLimitAndSwap(m, dir);
    if (m.reservation !== undefined) writeCgroupFile(NAME, dir, MEMORY_SOFT_LIMIT, limitValue(m.reservation));
    if (m.kernel !== undefined) writeCgroupFile(NAME, dir, MEMORY_KMEM_LIMIT, limitValue(m.kernel));
    if (m.kernelTCP !== undefined) writeCgroupFile(NAME, dir, MEMORY_KMEM_TCP_LIMIT, limitValue(m.kernelTCP));
    if (m.swappiness !== undefined) {
      if (!Number.isInteger(m.swappiness) || m.swappiness < 0 || m.swappiness > 100) {
        throw unsupported(NAME, MEMORY_SWAPPINESS, `swappiness ${m.swappiness} is outside 0..100`);
      }
      writeCgroupFile(NAME, dir, MEMORY_SWAPPINESS, m.swappiness);
    }
    if (m.disableOOMKiller !== undefined)
      writeCgroupFile(NAME, dir, MEMORY_OOM_CONTROL, m.disableOOMKiller ? 1 : 0);
    if (m.useHierarchy !== undefined)
      writeCgroupFile(NAME, dir, MEMORY_USE_HIERARCHY, m.useHierarchy ? 1 : 0);
  },
  stats(dir: string, s: CgroupStats): void {
    const raw = parseFlatKeyed(readCgroupFile(NAME, dir, MEMORY_STAT));
    s.memory.raw = Object.fromEntries(raw);
    s.memory.useHierarchy = readOptionalCgroupFile(NAME, dir, MEMORY_USE_HIERARCHY) !== '0';
    // total_* include descendants when use_hierarchy is on (always, on current kernels).
    s.memory.cache = raw.get('total_cache') ?? raw.get('cache') ?? 0;
    s.memory.rss = raw.get('total_rss') ?? raw.get('rss') ?? 0;
    const usage = entry(dir, 'memory');
    if (usage) s.memory.usage = usage;
    const swap = entry(dir, 'memory.memsw');
    if (swap) s.memory.swap = swap;
    const kernel = entry(dir, 'memory.kmem');
    if (kernel) s.memory.kernel = kernel;
    const tcp = entry(dir, 'memory.kmem.tcp');
    if (tcp) s.memory.kernelTCP = tcp;
    const oom = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, MEMORY_OOM_CONTROL) ?? '');
    s.memory.oomKills = oom.get('oom_kill') ?? 0;
    s.memory.oomEvents = s.memory.usage.failcnt;
  },
};
