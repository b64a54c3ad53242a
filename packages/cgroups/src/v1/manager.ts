import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { LinuxResources, parseOrThrow } from '@berth/oci-spec';
import type { Controller } from '../controller.js';
import { CgroupError, unsupported } from '../errors.js';
import {
  type CgroupEvent,
  EventStream,
  type EventsOptions,
  endOnRemoval,
  watchPidsEvents,
  watchV1Oom,
} from '../events.js';
import { writeCgroupFile } from '../fs.js';
import type { V1Controller, V1Hierarchy } from '../layout.js';
import type { CgroupManager } from '../manager.js';
import { type CgroupStats, emptyStats, type StatsProvider } from '../stats.js';
import { listPids, makeCgroupDirs, removeCgroupTree, removeIfEmpty, signalAll, waitEmpty } from '../tree.js';
import { blkio } from './blkio.js';
import { cpu } from './cpu.js';
import { cpuacct } from './cpuacct.js';
import { cpuset, inheritCpuset } from './cpuset.js';
import { devices } from './devices.js';
import { setFreezerState } from './freezer.js';
import { hugetlb } from './hugetlb.js';
import { memory } from './memory.js';
import { netCls } from './net_cls.js';
import { netPrio } from './net_prio.js';
import { pids } from './pids.js';
import { rdma } from './rdma.js';

export const CGROUP_PROCS = 'cgroup.procs';

/** Controllers that take OCI resources, in the order they are applied (devices last, as runc does). */
const CONTROLLERS: ReadonlyArray<[V1Controller, Controller]> = [
  ['cpuset', cpuset],
  ['cpu', cpu],
  ['memory', memory],
  ['pids', pids],
  ['blkio', blkio],
  ['hugetlb', hugetlb],
  ['net_cls', netCls],
  ['net_prio', netPrio],
  ['rdma', rdma],
  ['devices', devices],
];

const STATS: ReadonlyArray<[V1Controller, StatsProvider]> = [
  ['memory', memory],
  ['cpu', cpu],
  ['cpuacct', cpuacct],
  ['pids', pids],
  ['blkio', blkio],
  ['hugetlb', hugetlb],
];

export interface V1ManagerOptions {
  /** The v1 hierarchies (from `detectLayout().v1`). */
  hierarchies: Partial<Record<V1Controller, V1Hierarchy>>;
  /** Absolute cgroup path inside each hierarchy ('/berth/abc'). */
  path: string;
}

/** cgroup v1: one directory per hierarchy (cpu and cpuacct may share one), one file per controller. */
export class V1Manager implements CgroupManager {
  readonly version = 1 as const;
  readonly path: string;
  /** controller → its directory for this cgroup. */
  readonly dirs: Partial<Record<V1Controller, string>> = {};
  private readonly hierarchies: Partial<Record<V1Controller, V1Hierarchy>>;
  private made: Array<{ controller: string; dir: string }> = [];

  constructor(options: V1ManagerOptions) {
    this.path = options.path;
    this.hierarchies = options.hierarchies;
    for (const [ctrl, h] of Object.entries(options.hierarchies) as Array<[V1Controller, V1Hierarchy]>) {
      // Inside a cgroup namespace the mount's root is the namespace's root: paths are relative to it.
      const rel =
        h.root !== '/' && this.path.startsWith(`${h.root}/`) ? this.path.slice(h.root.length) : this.path;
      this.dirs[ctrl] = join(h.mountPoint, posix.normalize(rel));
    }
  }

  /** Unique directories with the first controller naming each (for error messages). */
  private uniqueDirs(): Array<{ controller: V1Controller; dir: string; mountPoint: string }> {
    const seen = new Set<string>();
    const out: Array<{ controller: V1Controller; dir: string; mountPoint: string }> = [];
    for (const [ctrl, dir] of Object.entries(this.dirs) as Array<[V1Controller, string]>) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      out.push({ controller: ctrl, dir, mountPoint: this.hierarchies[ctrl]!.mountPoint });
    }
    return out;
  }

  private dirOf(controller: V1Controller, file: string): string {
    const dir = this.dirs[controller];
    if (!dir) {
      throw unsupported(
        controller,
        file,
        `the ${controller} controller is not mounted (see /proc/self/mountinfo)`,
      );
    }
    return dir;
  }

  create(): void {
    for (const { controller, dir, mountPoint } of this.uniqueDirs()) {
      const made = makeCgroupDirs(controller, mountPoint, dir, (d) => this.made.push({ controller, dir: d }));
      if (this.hierarchies[controller]!.controllers.includes('cpuset'))
        for (const d of made) inheritCpuset(d);
    }
  }

  apply(input: LinuxResources): void {
    // Callers may be plain JS: the spec's schema checks the shape (SpecValidationError, code EINVALIDSPEC).
    const resources = parseOrThrow(LinuxResources, input, 'linux.resources');
    if (resources.unified && Object.keys(resources.unified).length > 0) {
      throw unsupported('unified', Object.keys(resources.unified)[0]!, 'unified resources need cgroup v2');
    }
    for (const [name, c] of CONTROLLERS) {
      if (c.needsToHandle(resources)) c.apply(resources, this.dirOf(name, `${name}.*`));
    }
  }

  addProcess(pid: number): void {
    for (const { controller, dir } of this.uniqueDirs()) writeCgroupFile(controller, dir, CGROUP_PROCS, pid);
  }

  procsFiles(): string[] {
    return this.uniqueDirs().map(({ dir }) => join(dir, CGROUP_PROCS));
  }

  pids(): number[] {
    const ctrl = (['freezer', 'pids', 'memory', 'cpu'] as const).find((c) => this.dirs[c]);
    const dir = ctrl ? this.dirs[ctrl] : this.uniqueDirs()[0]?.dir;
    return dir ? listPids(dir) : [];
  }

  stats(): CgroupStats {
    const s = emptyStats();
    for (const [ctrl, provider] of STATS) {
      const dir = this.dirs[ctrl];
      if (dir) provider.stats(dir, s);
    }
    return s;
  }

  freeze(): Promise<void> {
    return setFreezerState(this.dirOf('freezer', 'freezer.state'), 'FROZEN');
  }

  thaw(): Promise<void> {
    return setFreezerState(this.dirOf('freezer', 'freezer.state'), 'THAWED');
  }

  async killAll(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    if (!this.uniqueDirs().some(({ dir }) => existsSync(dir))) return; // destroyed already: nothing runs there
    const freezer = this.dirs.freezer;
    if (freezer && existsSync(freezer)) {
      // Frozen tasks cannot fork, so the list read next is complete; SIGKILL is delivered on thaw.
      await this.freeze();
      try {
        signalAll(this.pids(), signal);
      } finally {
        await this.thaw();
      }
    } else {
      // No freezer: repeat until a pass finds nothing new (each pass kills what the last one missed).
      for (let i = 0; i < 100; i++) {
        const list = this.pids();
        if (list.length === 0) break;
        signalAll(list, signal);
      }
    }
    if (signal === 'SIGKILL' || signal === 9) {
      for (const { controller, dir } of this.uniqueDirs()) await waitEmpty(controller, dir);
    }
  }

  async destroy(): Promise<void> {
    for (const { controller, dir } of this.uniqueDirs()) await removeCgroupTree(controller, dir);
    // Parents this manager made, deepest first.
    for (const { controller, dir } of [...this.made].reverse()) removeIfEmpty(controller, dir);
    this.made = [];
  }

  events(options: EventsOptions = {}): AsyncIterableIterator<CgroupEvent> {
    const stream = new EventStream(options.signal);
    try {
      if (this.dirs.memory) watchV1Oom(stream, this.dirs.memory);
      if (this.dirs.pids) watchPidsEvents(stream, this.dirs.pids, options.v1PidsPollMs ?? 1000);
      const first = this.uniqueDirs()[0];
      if (first) endOnRemoval(stream, first.dir);
    } catch (e) {
      stream.end();
      throw e instanceof CgroupError ? e : new CgroupError('ECGROUPFILE', String(e), {}, { cause: e });
    }
    return stream;
  }
}
