// The start-up sweep: what a create or remove that a crash cut short left behind. A create makes,
// in order, the container directory (no record yet), the snapshot (key = container id), then the
// record; the first start makes the supervisor's container record. A remove undoes them in the
// other order and the directory goes last. So an id whose directory has no record, a supervisor
// container, or a container snapshot that no record owns is a leftover: its supervisor container
// (and task), its snapshot, then its directory are removed, in that order, so a crash during the
// sweep still leaves a mark (the directory, or the snapshot itself) for the next start to find.
import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { unmount } from '@berth/overlay';
import type { ContainerStore } from './container-store.js';
import type { Logger, SnapshotterLike, SupervisorLike } from './deps.js';
import { statusOf } from './errors.js';

/** Container ids, and so the keys of container snapshots (builds use `berth-build-…`, images `sha256:…`). */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

export interface SweepResult {
  /** ids whose leftovers were removed */
  swept: string[];
  /** scratch mounts of copy/archive requests that were undone */
  scratch: string[];
}

export async function sweepOrphans(opts: {
  containers: ContainerStore;
  supervisor: SupervisorLike;
  snapshotter: SnapshotterLike;
  namespace: string;
  /** <exec-root>/mnt: scratch mount points of rootfs reads and copies */
  scratchDir: string;
  log: Logger;
}): Promise<SweepResult> {
  const { containers, supervisor: sup, snapshotter, namespace: ns, log } = opts;
  // no request runs yet: every scratch mount point is one a crash left mounted (over a snapshot
  // about to be removed, it would hold the snapshot's directories)
  const scratch = clearScratch(opts.scratchDir, log);

  const doomed = new Set<string>(containers.unfinished);
  let supIds = new Set<string>();
  if (sup.containers.list) {
    try {
      supIds = new Set((await sup.containers.list(ns)).map((c) => c.id));
    } catch (e) {
      log.warn({ err: String(e) }, 'cannot list the supervisor containers: none swept');
    }
  }
  for (const id of supIds) if (!containers.owns(id)) doomed.add(id);
  const snapshots = new Set<string>();
  try {
    snapshotter.walk?.((info) => {
      if (info.kind === 'active' && CONTAINER_ID.test(info.name)) snapshots.add(info.name);
    });
  } catch (e) {
    log.warn({ err: String(e) }, 'cannot list the snapshots: none swept');
  }
  const keys = new Set(containers.list().map((r) => r.SnapshotKey));
  for (const key of snapshots) if (!containers.owns(key) && !keys.has(key)) doomed.add(key);

  const swept: string[] = [];
  for (const id of doomed) {
    if (containers.owns(id)) continue;
    try {
      if (supIds.has(id)) {
        await sup.tasks.delete(ns, id, { force: true }).catch((e) => {
          if (statusOf(e) !== 404) throw e;
        });
        await sup.containers.delete(ns, id).catch((e) => {
          if (statusOf(e) !== 404) throw e;
        });
      }
      if (snapshots.has(id) && !keys.has(id)) snapshotter.remove(id);
      containers.dropUnfinished(id);
      swept.push(id);
      log.info({ id }, 'removed what an interrupted container create or remove left');
    } catch (e) {
      // kept whole enough to try again at the next start (the directory goes last)
      log.warn({ id, err: String(e) }, 'cannot remove the leftovers of an interrupted create or remove');
    }
  }
  return { swept, scratch };
}

function clearScratch(dir: string, log: Logger): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const cleared: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      // a mount point cannot be removed (EBUSY): unmount (stacked mounts one by one) until it can
      for (let i = 0; ; i++) {
        try {
          rmdirSync(path);
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EBUSY' || i >= 8) throw e;
          unmount(path);
        }
      }
      cleared.push(path);
    } catch (e) {
      log.warn({ path, err: String(e) }, 'cannot remove a scratch mount point left by a crash');
    }
  }
  return cleared;
}
