import { existsSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { LinuxResources, parseOrThrow } from '@berth/oci-spec';
import type { Controller } from '../controller.js';
import { CgroupError, unsupported } from '../errors.js';
import {
  type CgroupEvent,
  EventStream,
  type EventsOptions,
  endOnRemoval,
  watchEventsFile,
  watchPidsEvents,
} from '../events.js';
import { readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { CgroupManager } from '../manager.js';
import { type CgroupStats, emptyStats, type StatsProvider } from '../stats.js';
import { listPids, makeCgroupDirs, removeCgroupTree, removeIfEmpty, signalAll, waitEmpty } from '../tree.js';
import { cpu } from './cpu.js';
import { cpuset } from './cpuset.js';
import { type AttachedDeviceFilter, attachDeviceFilter } from './devices.js';
import { setFrozen } from './freezer.js';
import { hugetlb } from './hugetlb.js';
import { io } from './io.js';
import { memory } from './memory.js';
import { pids } from './pids.js';
import { rdma } from './rdma.js';
import { unified } from './unified.js';

export const CGROUP_PROCS = 'cgroup.procs';
export const CGROUP_KILL = 'cgroup.kill';
export const CGROUP_CONTROLLERS = 'cgroup.controllers';
export const CGROUP_SUBTREE_CONTROL = 'cgroup.subtree_control';

/** Controllers that take OCI resources, in the order they are applied; `unified` last so it can override. */
const CONTROLLERS: readonly Controller[] = [cpuset, cpu, memory, pids, io, hugetlb, rdma, unified];
const STATS: readonly StatsProvider[] = [cpu, memory, pids, io, hugetlb];

export interface V2ManagerOptions {
  /** Where cgroup2 is mounted (from `detectLayout().unified.mountPoint`), or a scratch tree in tests. */
  mountPoint: string;
  /** Absolute cgroup path inside the hierarchy ('/berth/abc'). */
  path: string;
}

/** cgroup v2: one directory; controllers are enabled top-down through cgroup.subtree_control. */
export class V2Manager implements CgroupManager {
  readonly version = 2 as const;
  readonly path: string;
  readonly mountPoint: string;
  /** This cgroup's directory. */
  readonly dir: string;
  private made: string[] = [];
  private deviceFilter: AttachedDeviceFilter | undefined;

  constructor(options: V2ManagerOptions) {
    this.mountPoint = options.mountPoint;
    this.path = posix.resolve('/', options.path);
    this.dir = join(options.mountPoint, this.path);
  }

  /**
   * Makes the directories, then enables in each ancestor's cgroup.subtree_control every controller it has
   * (cgroup.controllers), so the leaf gets them all. All at once first; when the kernel refuses one
   * (e.g. a threaded subtree), one by one, keeping those it accepts.
   */
  create(): void {
    makeCgroupDirs('cgroup', this.mountPoint, this.dir, (d) => this.made.push(d));
    let cur = this.mountPoint;
    for (const part of relative(this.mountPoint, dirname(this.dir)).split(sep).filter(Boolean)) {
      this.enableControllers(cur);
      cur = join(cur, part);
    }
    if (cur !== this.dir) this.enableControllers(cur);
  }

  private enableControllers(dir: string): void {
    const available = (readOptionalCgroupFile('cgroup', dir, CGROUP_CONTROLLERS) ?? '')
      .split(/\s+/)
      .filter(Boolean);
    if (available.length === 0) return;
    const enabled = new Set(
      (readOptionalCgroupFile('cgroup', dir, CGROUP_SUBTREE_CONTROL) ?? '').split(/\s+/),
    );
    const missing = available.filter((c) => !enabled.has(c));
    if (missing.length === 0) return;
    try {
      writeCgroupFile('cgroup', dir, CGROUP_SUBTREE_CONTROL, missing.map((c) => `+${c}`).join(' '));
    } catch {
      for (const c of missing) {
        try {
          writeCgroupFile('cgroup', dir, CGROUP_SUBTREE_CONTROL, `+${c}`);
        } catch {
          // The kernel refuses this controller here (e.g. cpuset in a threaded subtree): go without it.
        }
      }
    }
  }

  /** Controllers enabled for this cgroup (its cgroup.controllers). */
  controllers(): string[] {
    return (readOptionalCgroupFile('cgroup', this.dir, CGROUP_CONTROLLERS) ?? '')
      .split(/\s+/)
      .filter(Boolean);
  }

  apply(input: LinuxResources): void {
    // Callers may be plain JS: the spec's schema checks the shape (SpecValidationError, code EINVALIDSPEC).
    const resources = parseOrThrow(LinuxResources, input, 'linux.resources');
    const enabled = new Set(this.controllers());
    for (const c of CONTROLLERS) {
      if (!c.needsToHandle(resources)) continue;
      if (c.name !== 'unified' && !enabled.has(c.name)) {
        throw unsupported(
          c.name,
          join(this.dir, CGROUP_CONTROLLERS),
          `the ${c.name} controller is not enabled`,
        );
      }
      c.apply(resources, this.dir);
    }
    // Devices are not a v2 controller but an eBPF program attached to the directory.
    if (resources.devices !== undefined) {
      this.deviceFilter = attachDeviceFilter(this.dir, resources.devices, this.deviceFilter);
    }
  }

  addProcess(pid: number): void {
    writeCgroupFile('cgroup', this.dir, CGROUP_PROCS, pid);
  }

  procsFiles(): string[] {
    return [join(this.dir, CGROUP_PROCS)];
  }

  pids(): number[] {
    return listPids(this.dir);
  }

  stats(): CgroupStats {
    const s = emptyStats();
    for (const p of STATS) p.stats(this.dir, s);
    return s;
  }

  freeze(): Promise<void> {
    return setFrozen(this.dir, true);
  }

  thaw(): Promise<void> {
    return setFrozen(this.dir, false);
  }

  async killAll(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    if (!existsSync(this.dir)) return;
    const sigkill = signal === 'SIGKILL' || signal === 9;
    if (sigkill && existsSync(join(this.dir, CGROUP_KILL))) {
      // cgroup.kill (Linux 5.14) kills the whole subtree atomically, forks in flight included.
      writeCgroupFile('cgroup', this.dir, CGROUP_KILL, 1);
    } else {
      await this.freeze();
      try {
        signalAll(this.pids(), signal);
      } finally {
        await this.thaw();
      }
    }
    if (sigkill) await waitEmpty('cgroup', this.dir);
  }

  async destroy(): Promise<void> {
    await removeCgroupTree('cgroup', this.dir);
    this.deviceFilter?.detach();
    this.deviceFilter = undefined;
    for (const dir of [...this.made].reverse()) removeIfEmpty('cgroup', dir);
    this.made = [];
  }

  events(options: EventsOptions = {}): AsyncIterableIterator<CgroupEvent> {
    const stream = new EventStream(options.signal);
    try {
      // memory.events counts every OOM kill in the subtree; the kernel notifies changes (inotify).
      watchEventsFile(stream, 'memory', this.dir, 'memory.events', (before, after) => {
        const kills = after.get('oom_kill') ?? 0;
        if (kills > (before.get('oom_kill') ?? 0)) stream.push({ type: 'oom', oomKills: kills });
      });
      watchPidsEvents(stream, this.dir);
      endOnRemoval(stream, this.dir);
      // cgroup.events `populated 0` after the last task leaves is not an end: a cgroup can be refilled.
    } catch (e) {
      stream.end();
      throw e instanceof CgroupError ? e : new CgroupError('ECGROUPFILE', String(e), {}, { cause: e });
    }
    return stream;
  }
}
