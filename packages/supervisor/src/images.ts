// Image names → target descriptors (containerd's images service). The image store proper (pull,
// unpack, config) is @berth/image; this is the namespaced name table GC and the API use.
import type { Db } from './db.js';
import { ensureNamespace } from './db.js';
import { alreadyExists, invalid, notFound } from './errors.js';
import type { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { Descriptor, Filters, Image, ImageCreate, ImagesService, Labels } from './types.js';
import { checkDescriptor, checkLabels, checkNamespace } from './validate.js';

interface Row {
  namespace: string;
  name: string;
  target: string;
  labels: string;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: Row): Image => ({
  name: r.name,
  namespace: r.namespace,
  target: JSON.parse(r.target),
  labels: JSON.parse(r.labels),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.length > 4096 || /\s/.test(name))
    throw invalid('name', `expected an image name without spaces, got ${JSON.stringify(name)}`);
  return name;
}

export class Images implements ImagesService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
  ) {}

  #find(ns: string, name: string): Image | undefined {
    const r = this.db.prepare('SELECT * FROM images WHERE namespace = ? AND name = ?').get(ns, name) as
      | Row
      | undefined;
    return r ? fromRow(r) : undefined;
  }

  async create(ns: string, image: ImageCreate): Promise<Image> {
    checkNamespace(ns);
    const name = checkName(image?.name);
    const target = checkDescriptor('target', image.target);
    const labels = checkLabels('labels', image.labels);
    const now = new Date().toISOString();
    this.db.transaction(() => {
      ensureNamespace(this.db, ns);
      if (this.#find(ns, name)) throw alreadyExists('image', ns, name);
      this.db
        .prepare(
          'INSERT INTO images (namespace, name, target, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(ns, name, JSON.stringify(target), JSON.stringify(labels), now, now);
    })();
    this.events.emit(ns, '/images/create', { name, labels });
    return { name, namespace: ns, target, labels, createdAt: now, updatedAt: now };
  }

  async get(ns: string, name: string): Promise<Image> {
    checkNamespace(ns);
    const img = this.#find(ns, checkName(name));
    if (!img) throw notFound('image', ns, name);
    return img;
  }

  async list(ns: string, filters?: Filters): Promise<Image[]> {
    checkNamespace(ns);
    const match = parseFilters(filters);
    const rows = this.db.prepare('SELECT * FROM images WHERE namespace = ? ORDER BY name').all(ns) as Row[];
    return rows.map(fromRow).filter((i) => match(lookupIn(i)));
  }

  /** Every image target of every namespace (GC roots). */
  allTargets(): Descriptor[] {
    return (this.db.prepare('SELECT target FROM images').all() as Array<{ target: string }>).map((r) =>
      JSON.parse(r.target),
    );
  }

  async update(ns: string, name: string, changes: { target?: Descriptor; labels?: Labels }): Promise<Image> {
    checkNamespace(ns);
    checkName(name);
    const target = changes?.target !== undefined ? checkDescriptor('target', changes.target) : undefined;
    const labels = changes?.labels !== undefined ? checkLabels('labels', changes.labels) : undefined;
    const img = this.db.transaction(() => {
      const cur = this.#find(ns, name);
      if (!cur) throw notFound('image', ns, name);
      if (target) cur.target = target;
      if (labels) cur.labels = labels;
      cur.updatedAt = new Date().toISOString();
      this.db
        .prepare('UPDATE images SET target = ?, labels = ?, updated_at = ? WHERE namespace = ? AND name = ?')
        .run(JSON.stringify(cur.target), JSON.stringify(cur.labels), cur.updatedAt, ns, name);
      return cur;
    })();
    this.events.emit(ns, '/images/update', { name, labels: img.labels });
    return img;
  }

  async delete(ns: string, name: string): Promise<void> {
    checkNamespace(ns);
    checkName(name);
    const r = this.db.prepare('DELETE FROM images WHERE namespace = ? AND name = ?').run(ns, name);
    if (r.changes === 0) throw notFound('image', ns, name);
    this.events.emit(ns, '/images/delete', { name });
  }
}
