// One lock per container, so concurrent commands on one container run one after the other.
//
// Hand-written rather than proper-lockfile: that library decides staleness by mtime, so a holder
// must keep touching the file on a timer and a slow holder can lose its lock. Here a lock is a file
// made with O_EXCL holding the owner's pid and start time; a lock whose owner is gone (crashed,
// killed) is stale and is taken over at once, with no timer. flock(2) would be simpler still but
// Node has no binding for it and @berth/native does not export one.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { RuntimeError } from './errors.js';
import { isAlive, procStat } from './proc.js';

export interface LockOptions {
  /** give up after this many milliseconds (default 30 s) */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function owner(path: string): { pid: number; start: number } | null {
  try {
    const [pid, start] = readFileSync(path, 'utf8').trim().split(' ').map(Number);
    if (!pid || start === undefined || Number.isNaN(start)) return null;
    return { pid, start };
  } catch {
    return null;
  }
}

function tryTake(path: string, me: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, me);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a lock whose owner is gone. The rename makes two waiters unable to both remove it. */
function breakStale(path: string): void {
  const o = owner(path);
  if (o && isAlive(o.pid, o.start)) return;
  if (!o) {
    // a half-written lock (its owner died between open and write): only stale once it stays so
    return;
  }
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = owner(aside);
  if (moved && isAlive(moved.pid, moved.start)) {
    // we moved a fresh lock taken between our read and rename: put it back
    renameSync(aside, path);
    return;
  }
  unlinkSync(aside);
}

/** Holds the lock at `path` while `fn` runs. Re-entrant in one process is not supported. */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T> | T,
  opts: LockOptions = {},
): Promise<T> {
  const stat = procStat(process.pid);
  const me = `${process.pid} ${stat?.startTime ?? 0}\n`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let delay = 1;
  let unreadable = 0;
  while (!tryTake(path, me)) {
    if (owner(path) === null && ++unreadable > 50) {
      // empty for that long: its writer died mid-write
      try {
        unlinkSync(path);
      } catch {}
      continue;
    }
    breakStale(path);
    if (Date.now() > deadline)
      throw new RuntimeError('ELOCKED', `timed out waiting for the lock ${path}`, { path });
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(path);
    } catch {}
  }
}
