// Leases (containerd's): a lease keeps the content and snapshots it names from GC until it is
// deleted or expires. A lease and its resources change in one transaction.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { ensureNamespace } from './db.js';
import { alreadyExists, invalid, notFound } from './errors.js';
import type { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { Filters, Labels, Lease, LeaseResource, LeasesService } from './types.js';
import { checkIdentifier, checkLabels, checkNamespace } from './validate.js';

interface Row {
  namespace: string;
  id: string;
  labels: string;
  created_at: string;
  expires_at: string | null;
}

const fromRow = (r: Row): Lease => {
  const l: Lease = {
    id: r.id,
    namespace: r.namespace,
    labels: JSON.parse(r.labels),
    createdAt: r.created_at,
  };
  if (r.expires_at) l.expiresAt = r.expires_at;
  return l;
};

function checkResource(r: unknown): LeaseResource {
  const res = r as LeaseResource;
  if (!res || (res.type !== 'content' && res.type !== 'snapshots'))
    throw invalid('resource.type', `expected "content" or "snapshots", got ${JSON.stringify(res?.type)}`);
  if (typeof res.id !== 'string' || res.id === '') throw invalid('resource.id', 'must be a non-empty string');
  return { type: res.type, id: res.id };
}

export class Leases implements LeasesService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
  ) {}

  #mustExist(ns: string, id: string): void {
    if (!this.db.prepare('SELECT 1 FROM leases WHERE namespace = ? AND id = ?').get(ns, id))
      throw notFound('lease', ns, id);
  }

  async create(ns: string, opts: { id?: string; labels?: Labels; expiresIn?: number } = {}): Promise<Lease> {
    checkNamespace(ns);
    const id =
      opts.id !== undefined ? checkIdentifier('id', opts.id) : `lease-${randomBytes(8).toString('hex')}`;
    const labels = checkLabels('labels', opts.labels);
    if (opts.expiresIn !== undefined && (!Number.isFinite(opts.expiresIn) || opts.expiresIn <= 0))
      throw invalid('expiresIn', 'must be a positive number of milliseconds');
    const now = new Date();
    const row: Row = {
      namespace: ns,
      id,
      labels: JSON.stringify(labels),
      created_at: now.toISOString(),
      expires_at:
        opts.expiresIn !== undefined ? new Date(now.getTime() + opts.expiresIn).toISOString() : null,
    };
    this.db.transaction(() => {
      ensureNamespace(this.db, ns);
      if (this.db.prepare('SELECT 1 FROM leases WHERE namespace = ? AND id = ?').get(ns, id))
        throw alreadyExists('lease', ns, id);
      this.db
        .prepare(
          'INSERT INTO leases (namespace, id, labels, created_at, expires_at) VALUES (@namespace, @id, @labels, @created_at, @expires_at)',
        )
        .run(row);
    })();
    this.events.emit(ns, '/leases/create', { id });
    return fromRow(row);
  }

  async delete(ns: string, id: string): Promise<void> {
    checkNamespace(ns);
    checkIdentifier('id', id);
    // the resources go with it (ON DELETE CASCADE), in the same statement's transaction
    const r = this.db.prepare('DELETE FROM leases WHERE namespace = ? AND id = ?').run(ns, id);
    if (r.changes === 0) throw notFound('lease', ns, id);
    this.events.emit(ns, '/leases/delete', { id });
  }

  async list(ns: string, filters?: Filters): Promise<Lease[]> {
    checkNamespace(ns);
    const match = parseFilters(filters);
    const rows = this.db
      .prepare('SELECT * FROM leases WHERE namespace = ? ORDER BY created_at, id')
      .all(ns) as Row[];
    return rows.map(fromRow).filter((l) => match(lookupIn(l)));
  }

  async addResource(ns: string, id: string, resource: LeaseResource): Promise<void> {
    checkNamespace(ns);
    const r = checkResource(resource);
    this.db.transaction(() => {
      this.#mustExist(ns, id);
      this.db
        .prepare(
          'INSERT OR IGNORE INTO lease_resources (namespace, lease_id, type, resource_id) VALUES (?, ?, ?, ?)',
        )
        .run(ns, id, r.type, r.id);
    })();
  }

  async deleteResource(ns: string, id: string, resource: LeaseResource): Promise<void> {
    checkNamespace(ns);
    const r = checkResource(resource);
    this.db.transaction(() => {
      this.#mustExist(ns, id);
      this.db
        .prepare(
          'DELETE FROM lease_resources WHERE namespace = ? AND lease_id = ? AND type = ? AND resource_id = ?',
        )
        .run(ns, id, r.type, r.id);
    })();
  }

  async listResources(ns: string, id: string): Promise<LeaseResource[]> {
    checkNamespace(ns);
    this.#mustExist(ns, id);
    const rows = this.db
      .prepare(
        'SELECT type, resource_id FROM lease_resources WHERE namespace = ? AND lease_id = ? ORDER BY type, resource_id',
      )
      .all(ns, id) as Array<{ type: 'content' | 'snapshots'; resource_id: string }>;
    return rows.map((r) => ({ type: r.type, id: r.resource_id }));
  }

  /** Deletes expired leases (at GC); returns their "ns/id". */
  expire(now = new Date()): string[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT namespace, id FROM leases WHERE expires_at IS NOT NULL AND expires_at <= ?')
        .all(now.toISOString()) as Array<{ namespace: string; id: string }>;
      for (const r of rows)
        this.db.prepare('DELETE FROM leases WHERE namespace = ? AND id = ?').run(r.namespace, r.id);
      return rows.map((r) => `${r.namespace}/${r.id}`);
    })();
  }

  /** Every resource any lease holds (GC roots). */
  allResources(): LeaseResource[] {
    const rows = this.db.prepare('SELECT DISTINCT type, resource_id FROM lease_resources').all() as Array<{
      type: 'content' | 'snapshots';
      resource_id: string;
    }>;
    return rows.map((r) => ({ type: r.type, id: r.resource_id }));
  }
}
