import type { CgroupEvent, EventsOptions } from './events.js';
import type { LinuxResources } from './resources.js';
import type { CgroupStats } from './stats.js';

/**
 * One cgroup (a directory per v1 hierarchy, or one v2 directory) and what can be done with it.
 *
 * Contract:
 * - `create` makes the directories (parents included) and remembers which ones it made; it is idempotent.
 * - `apply` writes only the parts of `resources` that are set; a value the host cannot honour throws a
 *   `CgroupError` naming the controller and file, and nothing later in the list is written.
 * - `killAll` returns once no task is left (freezing first, so a fork bomb cannot outrun it).
 * - `destroy` removes the cgroup, its sub-cgroups and every parent `create` made, retrying while the
 *   kernel still reports tasks (EBUSY); a missing directory is not an error.
 */
export interface CgroupManager {
  readonly version: 1 | 2;
  /** Absolute path of the cgroup inside its hierarchy ('/berth/abc'). */
  readonly path: string;
  create(): void;
  apply(resources: LinuxResources): void;
  /** Moves a process (all its threads) into the cgroup. */
  addProcess(pid: number): void;
  /**
   * The cgroup.procs files a new process must be written to (one per v1 hierarchy, one on v2): what
   * @berth/native's init plan takes as `cgroupProcs`, so the child is inside before it runs anything.
   */
  procsFiles(): string[];
  /** Processes in the cgroup and its sub-cgroups. */
  pids(): number[];
  stats(): CgroupStats;
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Signals every process (default SIGKILL) and waits until the cgroup is empty. */
  killAll(signal?: NodeJS.Signals | number): Promise<void>;
  destroy(): Promise<void>;
  /** OOM kills and pids-limit hits, until the cgroup is removed or the signal aborts. */
  events(options?: EventsOptions): AsyncIterableIterator<CgroupEvent>;
}
