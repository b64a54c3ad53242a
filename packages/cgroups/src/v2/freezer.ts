import { watch } from 'node:fs';
import { join } from 'node:path';
import { CgroupError } from '../errors.js';
import { parseFlatKeyed, readCgroupFile, writeCgroupFile } from '../fs.js';

export const CGROUP_FREEZE = 'cgroup.freeze';
export const CGROUP_EVENTS = 'cgroup.events';
const NAME = 'freezer';

function frozen(dir: string): boolean {
  return parseFlatKeyed(readCgroupFile(NAME, dir, CGROUP_EVENTS)).get('frozen') === 1;
}

/**
 * Writes cgroup.freeze and waits until cgroup.events reports `frozen` with that value. The kernel notifies
 * cgroup.events changes (inotify), so this waits without polling; `timeoutMs` bounds it.
 */
export async function setFrozen(dir: string, freeze: boolean, timeoutMs = 10_000): Promise<void> {
  writeCgroupFile(NAME, dir, CGROUP_FREEZE, freeze ? 1 : 0);
  if (frozen(dir) === freeze) return;
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(join(dir, CGROUP_EVENTS));
    const done = (err?: Error) => {
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () =>
        done(
          new CgroupError(
            'ECGROUPBUSY',
            `freezer: ${dir}/${CGROUP_EVENTS} did not report frozen ${freeze ? 1 : 0}`,
            {
              controller: NAME,
              file: join(dir, CGROUP_EVENTS),
            },
          ),
        ),
      timeoutMs,
    );
    watcher.on('change', () => {
      // A throw here would escape as an uncaught exception: hand it to the caller instead.
      try {
        if (frozen(dir) === freeze) done();
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    });
    watcher.on('error', (e) => done(e));
    // The state may have settled between the first read and the watch.
    if (frozen(dir) === freeze) done();
  });
}
