// The snapshots service: the supervisor's Snapshotter behind the API's shape. Keys are not
// namespaced: the image store names committed layers by chain ID in the same snapshotter.
import { type Info, type Snapshotter, withLabels } from '@berth/overlay';
import { invalid, SupervisorError, translate } from './errors.js';
import type { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { Filters, Labels, Mount, SnapshotInfo, SnapshotsService } from './types.js';
import { checkLabels } from './validate.js';

const toInfo = (i: Info): SnapshotInfo => {
  const s: SnapshotInfo = {
    key: i.name,
    kind: i.kind,
    labels: i.labels,
    createdAt: i.created.toISOString(),
    updatedAt: i.updated.toISOString(),
  };
  if (i.parent) s.parent = i.parent;
  return s;
};

function checkKey(where: string, k: unknown): string {
  if (typeof k !== 'string' || k === '') throw invalid(where, 'must be a non-empty string');
  return k;
}

export class SnapshotsServiceImpl implements SnapshotsService {
  constructor(
    private readonly sn: Snapshotter | undefined,
    private readonly events: EventBus,
  ) {}

  #call<T>(key: string, fn: (sn: Snapshotter) => T): Promise<T> {
    if (!this.sn)
      return Promise.reject(
        new SupervisorError('FAILED_PRECONDITION', 'the supervisor was opened without a snapshotter'),
      );
    try {
      return Promise.resolve(fn(this.sn));
    } catch (e) {
      return Promise.reject(translate(e, { id: key }));
    }
  }

  prepare(key: string, parent?: string, labels?: Labels): Promise<Mount[]> {
    checkKey('key', key);
    const l = checkLabels('labels', labels);
    return this.#call(key, (sn) => {
      const m = sn.prepare(key, parent || undefined, withLabels(l));
      this.events.emit('default', '/snapshot/prepare', { key, parent: parent ?? '' });
      return m;
    });
  }

  view(key: string, parent?: string, labels?: Labels): Promise<Mount[]> {
    checkKey('key', key);
    const l = checkLabels('labels', labels);
    return this.#call(key, (sn) => sn.view(key, parent || undefined, withLabels(l)));
  }

  mounts(key: string): Promise<Mount[]> {
    checkKey('key', key);
    return this.#call(key, (sn) => sn.mounts(key));
  }

  commit(name: string, key: string, labels?: Labels): Promise<void> {
    checkKey('name', name);
    checkKey('key', key);
    const l = checkLabels('labels', labels);
    return this.#call(key, (sn) => {
      sn.commit(name, key, withLabels(l));
      this.events.emit('default', '/snapshot/commit', { key, name });
    });
  }

  remove(key: string): Promise<void> {
    checkKey('key', key);
    return this.#call(key, (sn) => {
      sn.remove(key);
      this.events.emit('default', '/snapshot/remove', { key });
    });
  }

  stat(key: string): Promise<SnapshotInfo> {
    checkKey('key', key);
    return this.#call(key, (sn) => toInfo(sn.stat(key)));
  }

  list(filters?: Filters): Promise<SnapshotInfo[]> {
    const match = parseFilters(filters);
    return this.#call('', (sn) => {
      const out: SnapshotInfo[] = [];
      sn.walk((i) => {
        const s = toInfo(i);
        if (match(lookupIn(s))) out.push(s);
      });
      return out;
    });
  }

  usage(key: string): Promise<{ size: number; inodes: number }> {
    checkKey('key', key);
    return this.#call(key, (sn) => sn.usage(key));
  }
}
