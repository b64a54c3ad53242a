import { closeSync, existsSync, type FSWatcher, openSync, readSync, watch, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants, eventfd, waitReadable } from '@berth/native';
import { parseFlatKeyed, readOptionalCgroupFile, writeCgroupFile } from './fs.js';

/** What a cgroup reports while it runs. */
export type CgroupEvent =
  /**
   * The memory limit was hit and the OOM killer ran. `oomKills` is the cgroup's count when the event was
   * read; v1 notifies as the OOM starts, so there it may not include the kill that follows yet.
   */
  | { type: 'oom'; oomKills: number }
  /** A fork/clone was refused because pids.max was reached; `count` is the total number of refusals. */
  | { type: 'pids-limit'; count: number };

export interface EventsOptions {
  /** Ends the iterator. */
  signal?: AbortSignal;
  /**
   * cgroup v1 only: how often pids.events is re-read (ms, default 1000). v1 raises no notification when a
   * fork is refused; every other event (v1 OOM, all of v2) is notified by the kernel and never polled.
   */
  v1PidsPollMs?: number;
}

/** A push queue read as an async iterator; sources push, `end` finishes it, `onClose` runs the teardown. */
export class EventStream implements AsyncIterableIterator<CgroupEvent> {
  private readonly items: CgroupEvent[] = [];
  private readonly waiters: Array<(r: IteratorResult<CgroupEvent>) => void> = [];
  private readonly closers: Array<() => void> = [];
  private done = false;
  private ending = false;

  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  get closed(): boolean {
    return this.done;
  }

  onClose(fn: () => void): void {
    if (this.done) fn();
    else this.closers.push(fn);
  }

  push(e: CgroupEvent): void {
    if (this.done) return;
    const w = this.waiters.shift();
    if (w) w({ value: e, done: false });
    else this.items.push(e);
  }

  end(): void {
    if (this.done || this.ending) return;
    this.ending = true;
    // Closers run before the stream is done so that they can still push what their source already
    // has pending (a v1 OOM notified just as the stream is closed); readers get it before the end.
    for (const fn of this.closers.splice(0)) fn();
    this.done = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<CgroupEvent>> {
    const e = this.items.shift();
    if (e) return Promise.resolve({ value: e, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<CgroupEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

const EIGHT = 8;

/**
 * v1 OOM notification (cgroup-v1/memory.rst §9): register an eventfd for memory.oom_control through
 * cgroup.event_control, then wait for it with a libuv poll (no thread blocked, no polling loop). The kernel
 * also signals the eventfd when the cgroup is removed, which ends the stream.
 */
export function watchV1Oom(stream: EventStream, memoryDir: string): void {
  const efd = eventfd(0, constants.EFD_CLOEXEC! | constants.EFD_NONBLOCK!);
  let oomFd: number;
  try {
    oomFd = openSync(join(memoryDir, 'memory.oom_control'), 'r');
    writeCgroupFile('memory', memoryDir, 'cgroup.event_control', `${efd} ${oomFd}`);
  } catch (e) {
    closeSync(efd);
    throw e;
  }
  let waiting = false;
  let closing = false;
  const release = () => {
    closeSync(oomFd);
    closeSync(efd);
  };
  const buf = Buffer.alloc(EIGHT);
  const pushOom = () => {
    const oom = parseFlatKeyed(readOptionalCgroupFile('memory', memoryDir, 'memory.oom_control') ?? '');
    stream.push({ type: 'oom', oomKills: oom.get('oom_kill') ?? 0 });
  };
  stream.onClose(() => {
    closing = true;
    // The kernel notifies as the OOM starts, before the process dies; yet the exit of the killed
    // process can reach the caller first (both ready in one loop turn on a loaded machine), and
    // callers close the watcher on that exit. A notification already counted on the eventfd is an
    // OOM that happened: report it rather than drop it. (A removed cgroup notifies too: not an OOM.)
    try {
      if (readSync(efd, buf, 0, EIGHT, null) === EIGHT && existsSync(memoryDir)) pushOom();
    } catch {
      // EAGAIN: nothing pending; or the cgroup's files are going: no OOM to report
    }
    // Wake the pending poll by making the eventfd readable; the loop then closes the fds.
    if (waiting) writeSync(efd, Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]));
    else release();
  });
  const loop = async () => {
    for (;;) {
      waiting = true;
      await waitReadable(efd);
      waiting = false;
      if (closing) return release();
      try {
        readSync(efd, buf, 0, EIGHT, null);
      } catch {
        continue; // EAGAIN: spurious wake-up
      }
      if (!existsSync(memoryDir)) return stream.end();
      pushOom();
    }
  };
  loop().catch(() => stream.end());
}

/**
 * Reads a flat-keyed events file for a watcher; undefined when the cgroup is gone or going. These reads run
 * in timer and inotify callbacks, where a throw would be an uncaught exception in the caller's process
 * (berthd): a cgroup being removed answers ENODEV rather than ENOENT while its files are torn down.
 */
function readEventsFile(controller: string, dir: string, file: string): Map<string, number> | undefined {
  if (!existsSync(dir)) return undefined;
  try {
    return parseFlatKeyed(readOptionalCgroupFile(controller, dir, file) ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Watches a flat-keyed events file (v2 memory.events, pids.events on v1 and v2) with inotify: the kernel
 * raises a modify event on it (cgroup_file_notify) whenever a counter changes. `onChange` gets old and new.
 */
export function watchEventsFile(
  stream: EventStream,
  controller: string,
  dir: string,
  file: string,
  onChange: (before: Map<string, number>, after: Map<string, number>) => void,
): void {
  let last = readEventsFile(controller, dir, file) ?? new Map<string, number>();
  let watcher: FSWatcher;
  try {
    watcher = watch(join(dir, file), { persistent: true });
  } catch {
    return; // the host lacks this file: no such events
  }
  watcher.on('change', () => {
    const now = readEventsFile(controller, dir, file);
    if (!now) return stream.end();
    onChange(last, now);
    last = now;
  });
  watcher.on('error', () => stream.end());
  stream.onClose(() => {
    // a change the watch has not delivered yet (the caller closes on the process's exit, which can
    // come first) is still reported, as for the v1 OOM eventfd
    const now = readEventsFile(controller, dir, file);
    if (now) onChange(last, now);
    watcher.close();
  });
}

/**
 * Re-reads a flat-keyed events file every `intervalMs`. Only for v1 pids.events: the v1 kernel counts refused
 * forks there but raises no notification (no inotify event, no POLLPRI), so a slow timer is the only way.
 */
export function pollEventsFile(
  stream: EventStream,
  controller: string,
  dir: string,
  file: string,
  intervalMs: number,
  onChange: (before: Map<string, number>, after: Map<string, number>) => void,
): void {
  let last = readEventsFile(controller, dir, file) ?? new Map<string, number>();
  const timer = setInterval(() => {
    const now = readEventsFile(controller, dir, file);
    if (!now) return stream.end();
    onChange(last, now);
    last = now;
  }, intervalMs);
  stream.onClose(() => {
    clearInterval(timer);
    // what changed since the last tick is still reported (see watchEventsFile)
    const now = readEventsFile(controller, dir, file);
    if (now) onChange(last, now);
  });
}

/** pids.events `max` counts refused forks: one event per change (inotify on v2, a slow re-read on v1). */
export function watchPidsEvents(stream: EventStream, pidsDir: string, v1PollMs?: number): void {
  const onChange = (before: Map<string, number>, after: Map<string, number>) => {
    const count = after.get('max') ?? 0;
    if (count > (before.get('max') ?? 0)) stream.push({ type: 'pids-limit', count });
  };
  if (v1PollMs === undefined) watchEventsFile(stream, 'pids', pidsDir, 'pids.events', onChange);
  else pollEventsFile(stream, 'pids', pidsDir, 'pids.events', v1PollMs, onChange);
}

/**
 * Ends the stream when `dir` is removed. Files inside cgroupfs get no inotify event on rmdir, but the
 * parent directory does (the VFS reports the removed child), so the parent is watched.
 */
export function endOnRemoval(stream: EventStream, dir: string): void {
  const name = basename(dir);
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(dir), { persistent: false });
  } catch {
    return;
  }
  watcher.on('change', (_type, file) => {
    if (String(file) === name && !existsSync(dir)) stream.end();
  });
  watcher.on('error', () => stream.end());
  stream.onClose(() => watcher.close());
  if (!existsSync(dir)) stream.end();
}
