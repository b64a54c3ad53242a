import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { parseFlatKeyed, parseUint, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';
import type { CgroupStats, StatsProvider } from '../stats.js';

export const MEMORY_MAX = 'memory.max';
export const MEMORY_LOW = 'memory.low';
export const MEMORY_SWAP_MAX = 'memory.swap.max';
export const MEMORY_CURRENT = 'memory.current';
export const MEMORY_PEAK = 'memory.peak';
export const MEMORY_SWAP_CURRENT = 'memory.swap.current';
export const MEMORY_SWAP_PEAK = 'memory.swap.peak';
export const MEMORY_STAT = 'memory.stat';
export const MEMORY_EVENTS = 'memory.events';

const NAME = 'memory';

/** A v2 byte limit: a negative value means `max`; 0 is a valid limit and is written as-is. */
export function maxValue(n: number): string {
  return n < 0 ? 'max' : String(n);
}

/**
 * OCI `swap` is memory+swap (v1's memsw); v2's memory.swap.max is swap alone, so it is `swap - limit`.
 * Returns undefined for "leave memory.swap.max alone". Mirrors runc's ConvertMemorySwapToCgroupV2Value.
 */
export function swapMaxValue(swap: number | undefined, limit: number | undefined): string | undefined {
  // Memory unlimited and swap not given: swap unlimited too (as on v1, where both are set to -1).
  if ((swap === undefined || swap === 0) && limit !== undefined && limit < 0) return 'max';
  if (swap === undefined || swap === 0) return undefined; // 0 means unset
  if (swap < 0) return 'max';
  if (limit === undefined || limit < 0 || limit === 0) {
    throw unsupported(NAME, MEMORY_SWAP_MAX, 'a swap limit needs a memory limit on cgroup v2');
  }
  if (swap < limit) {
    throw unsupported(NAME, MEMORY_SWAP_MAX, `memory+swap (${swap}) must be >= memory limit (${limit})`);
  }
  return String(swap - limit);
}

export const memory: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    const m = r.memory;
    if (!m) return false;
    return [m.limit, m.reservation, m.swap, m.swappiness, m.disableOOMKiller, m.useHierarchy].some(
      (v) => v !== undefined,
    );
  },
  apply(r: LinuxResources, dir: string): void {
    const m = r.memory;
    if (!m) return;
    // kernel and kernelTCP are ignored, as runc does: v2 charges kernel memory to memory.max itself.
    if (m.swappiness !== undefined) {
      throw unsupported(NAME, 'memory.swappiness', 'per-cgroup swappiness does not exist on cgroup v2');
    }
    if (m.disableOOMKiller === true) {
      throw unsupported(NAME, 'memory.oom_control', 'the OOM killer cannot be disabled on cgroup v2');
    }
    if (m.useHierarchy === false) {
      throw unsupported(NAME, 'memory.use_hierarchy', 'cgroup v2 accounting is always hierarchical');
    }
    // checkBeforeUpdate: refuse a limit below what the cgroup already uses instead of OOM-killing it.
    if (m.checkBeforeUpdate && m.limit !== undefined && m.limit >= 0) {
      const current = Number(readOptionalCgroupFile(NAME, dir, MEMORY_CURRENT) ?? 0);
      if (m.limit < current) {
        throw unsupported(
          NAME,
          MEMORY_MAX,
          `new limit ${m.limit} is below current usage ${current} (checkBeforeUpdate)`,
        );
      }
    }
    const swap = swapMaxValue(m.swap, m.limit);
    // Raising: swap first is harmless; the two files are independent on v2 (no limit <= memsw rule).
    if (swap !== undefined) writeCgroupFile(NAME, dir, MEMORY_SWAP_MAX, swap);
    if (m.limit !== undefined) writeCgroupFile(NAME, dir, MEMORY_MAX, maxValue(m.limit));
    if (m.reservation !== undefined) writeCgroupFile(NAME, dir, MEMORY_LOW, maxValue(m.reservation));
  },
  stats(dir: string, s: CgroupStats): void {
    const raw = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, MEMORY_STAT) ?? '');
    s.memory.raw = Object.fromEntries(raw);
    s.memory.cache = raw.get('file') ?? 0;
    s.memory.rss = raw.get('anon') ?? 0;
    s.memory.kernel.usage = (raw.get('kernel') ?? raw.get('kernel_stack') ?? 0) + (raw.get('slab') ?? 0);
    s.memory.kernelTCP.usage = raw.get('sock') ?? 0;
    const events = parseFlatKeyed(readOptionalCgroupFile(NAME, dir, MEMORY_EVENTS) ?? '');
    const current = readOptionalCgroupFile(NAME, dir, MEMORY_CURRENT);
    if (current !== undefined) {
      s.memory.usage = {
        usage: Number(current),
        maxUsage: Number(readOptionalCgroupFile(NAME, dir, MEMORY_PEAK) ?? 0),
        failcnt: events.get('max') ?? 0,
        limit: parseUint(readOptionalCgroupFile(NAME, dir, MEMORY_MAX) ?? 'max'),
      };
    }
    const swap = readOptionalCgroupFile(NAME, dir, MEMORY_SWAP_CURRENT);
    if (swap !== undefined) {
      s.memory.swap = {
        usage: Number(swap),
        maxUsage: Number(readOptionalCgroupFile(NAME, dir, MEMORY_SWAP_PEAK) ?? 0),
        failcnt: 0,
        limit: parseUint(readOptionalCgroupFile(NAME, dir, MEMORY_SWAP_MAX) ?? 'max'),
      };
    }
    s.memory.oomKills = events.get('oom_kill') ?? 0;
    s.memory.oomEvents = events.get('oom') ?? 0;
    s.memory.useHierarchy = true;
  },
};
