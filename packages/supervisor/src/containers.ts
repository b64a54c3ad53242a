// Container metadata (containerd's containers service): what to run, not the running of it.
import type { Db } from './db.js';
import { ensureNamespace } from './db.js';
import { alreadyExists, invalid, notFound, precondition } from './errors.js';
import type { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { Container, ContainerCreate, ContainersService, ContainerUpdate, Filters } from './types.js';
import { checkIdentifier, checkLabels, checkNamespace, checkSpec } from './validate.js';

interface Row {
  namespace: string;
  id: string;
  image: string;
  snapshotter: string;
  snapshot_key: string;
  spec: string;
  labels: string;
  runtime: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): Container {
  return {
    id: r.id,
    namespace: r.namespace,
    image: r.image,
    snapshotter: r.snapshotter,
    snapshotKey: r.snapshot_key,
    spec: JSON.parse(r.spec),
    labels: JSON.parse(r.labels),
    runtime: JSON.parse(r.runtime),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function checkRuntime(v: unknown): { name: string } {
  if (v === undefined) return { name: 'berth' };
  const name = (v as { name?: unknown }).name;
  if (typeof name !== 'string' || (name !== 'berth' && !name.startsWith('/')))
    throw invalid(
      'runtime.name',
      `expected "berth" or the absolute path of an OCI runtime, got ${JSON.stringify(name)}`,
    );
  return { name };
}

export class Containers implements ContainersService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    /** true while the container has a task (delete is refused then) */
    private readonly hasTask: (ns: string, id: string) => boolean,
    private readonly defaultSnapshotter: string,
  ) {}

  /** Synchronous read for the other services. */
  find(ns: string, id: string): Container | undefined {
    const r = this.db.prepare('SELECT * FROM containers WHERE namespace = ? AND id = ?').get(ns, id) as
      | Row
      | undefined;
    return r ? fromRow(r) : undefined;
  }

  mustFind(ns: string, id: string): Container {
    const c = this.find(ns, id);
    if (!c) throw notFound('container', ns, id);
    return c;
  }

  async create(ns: string, c: ContainerCreate): Promise<Container> {
    checkNamespace(ns);
    const id = checkIdentifier('id', c?.id);
    const spec = checkSpec(c.spec);
    const labels = checkLabels('labels', c.labels);
    const runtime = checkRuntime(c.runtime);
    const now = new Date().toISOString();
    const row: Row = {
      namespace: ns,
      id,
      image: c.image ?? '',
      snapshotter: c.snapshotKey ? (c.snapshotter ?? this.defaultSnapshotter) : (c.snapshotter ?? ''),
      snapshot_key: c.snapshotKey ?? '',
      spec: JSON.stringify(spec),
      labels: JSON.stringify(labels),
      runtime: JSON.stringify(runtime),
      created_at: now,
      updated_at: now,
    };
    const insert = this.db.transaction(() => {
      ensureNamespace(this.db, ns);
      if (this.find(ns, id)) throw alreadyExists('container', ns, id);
      this.db
        .prepare(
          `INSERT INTO containers (namespace, id, image, snapshotter, snapshot_key, spec, labels, runtime, created_at, updated_at)
           VALUES (@namespace, @id, @image, @snapshotter, @snapshot_key, @spec, @labels, @runtime, @created_at, @updated_at)`,
        )
        .run(row);
    });
    insert();
    this.events.emit(ns, '/containers/create', { id, image: row.image, runtime: runtime.name });
    return fromRow(row);
  }

  async get(ns: string, id: string): Promise<Container> {
    checkNamespace(ns);
    return this.mustFind(ns, checkIdentifier('id', id));
  }

  async list(ns: string, filters?: Filters): Promise<Container[]> {
    checkNamespace(ns);
    const match = parseFilters(filters);
    const rows = this.db
      .prepare('SELECT * FROM containers WHERE namespace = ? ORDER BY created_at, id')
      .all(ns) as Row[];
    return rows.map(fromRow).filter((c) => match(lookupIn(c)));
  }

  async update(ns: string, id: string, changes: ContainerUpdate): Promise<Container> {
    checkNamespace(ns);
    checkIdentifier('id', id);
    const spec = changes?.spec !== undefined ? checkSpec(changes.spec) : undefined;
    const labels = changes?.labels !== undefined ? checkLabels('labels', changes.labels) : undefined;
    const updated = this.db.transaction(() => {
      const c = this.mustFind(ns, id);
      if (spec) c.spec = spec;
      if (labels) c.labels = labels;
      if (changes.image !== undefined) c.image = changes.image;
      if (changes.snapshotKey !== undefined) c.snapshotKey = changes.snapshotKey;
      c.updatedAt = new Date().toISOString();
      this.db
        .prepare(
          'UPDATE containers SET image = ?, snapshot_key = ?, spec = ?, labels = ?, updated_at = ? WHERE namespace = ? AND id = ?',
        )
        .run(c.image, c.snapshotKey, JSON.stringify(c.spec), JSON.stringify(c.labels), c.updatedAt, ns, id);
      return c;
    })();
    this.events.emit(ns, '/containers/update', { id, image: updated.image });
    return updated;
  }

  async delete(ns: string, id: string): Promise<void> {
    checkNamespace(ns);
    checkIdentifier('id', id);
    this.db.transaction(() => {
      this.mustFind(ns, id);
      if (this.hasTask(ns, id))
        throw precondition(`container "${id}" has a task; delete the task first`, ns, id);
      this.db.prepare('DELETE FROM containers WHERE namespace = ? AND id = ?').run(ns, id);
    })();
    this.events.emit(ns, '/containers/delete', { id });
  }
}
