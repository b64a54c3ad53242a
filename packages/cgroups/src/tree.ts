import { mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupError } from './errors.js';
import { fileError } from './fs.js';

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/**
 * mkdir -p from `mountPoint` down to `dir`; returns the directories it made, top-down. Each one is also
 * passed to `onMade` as soon as it exists, so a failure half-way still leaves a record to clean up.
 */
export function makeCgroupDirs(
  controller: string,
  mountPoint: string,
  dir: string,
  onMade: (dir: string) => void = () => {},
): string[] {
  const made: string[] = [];
  let cur = mountPoint;
  for (const part of relative(mountPoint, dir).split(sep).filter(Boolean)) {
    cur = join(cur, part);
    try {
      mkdirSync(cur);
      made.push(cur);
      onMade(cur);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw fileError(controller, cur, 'mkdir', undefined, e);
    }
  }
  return made;
}

/** The processes listed in cgroup.procs of `dir` and of every sub-cgroup. */
export function listPids(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string) => {
    let text: string;
    try {
      text = readFileSync(join(d, 'cgroup.procs'), 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return;
      throw e;
    }
    for (const l of text.split('\n')) if (l) out.push(Number(l));
    for (const ent of readdirSync(d, { withFileTypes: true })) if (ent.isDirectory()) walk(join(d, ent.name));
  };
  walk(dir);
  return out;
}

/** Waits (growing back-off, bounded) until `dir` and its sub-cgroups have no process. */
export async function waitEmpty(controller: string, dir: string, attempts = 100): Promise<void> {
  let delay = 1;
  for (let i = 0; i < attempts; i++) {
    if (listPids(dir).length === 0) return;
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  throw new CgroupError('ECGROUPBUSY', `${controller}: ${dir} still has tasks: ${listPids(dir).join(' ')}`, {
    controller,
    file: join(dir, 'cgroup.procs'),
  });
}

/**
 * rmdir `dir` after its sub-cgroups (cgroupfs directories hold only kernel files, so rmdir is the whole
 * removal). EBUSY means tasks are still leaving (exiting processes linger a moment): retry with back-off.
 */
export async function removeCgroupTree(controller: string, dir: string, attempts = 100): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw fileError(controller, dir, 'readdir', undefined, e);
  }
  for (const name of entries) await removeCgroupTree(controller, join(dir, name), attempts);
  let delay = 1;
  for (let i = 0; ; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      const errno = errnoOf(e);
      if (errno === 'ENOENT') return;
      if (errno !== 'EBUSY' || i >= attempts) throw fileError(controller, dir, 'rmdir', undefined, e);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** rmdir a directory that should be empty now (a parent this manager made); left alone if it is not. */
export function removeIfEmpty(controller: string, dir: string): void {
  try {
    rmdirSync(dir);
  } catch (e) {
    const errno = errnoOf(e);
    // ENOTEMPTY/EBUSY: someone else put a cgroup or task there since; it is theirs now.
    if (errno === 'ENOENT' || errno === 'ENOTEMPTY' || errno === 'EBUSY') return;
    throw fileError(controller, dir, 'rmdir', undefined, e);
  }
}

/** Sends `signal` to each pid, ignoring the ones that are already gone. */
export function signalAll(pids: number[], signal: NodeJS.Signals | number): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (e) {
      if (errnoOf(e) !== 'ESRCH') throw e;
    }
  }
}
