import Database from 'better-sqlite3';
import { z } from 'zod';
import { OverlayError } from './errors.js';
import { type Info, Kind, type Labels, type Usage } from './snapshotter.js';

/**
 * Snapshot metadata in SQLite (better-sqlite3). SQLite rather than atomic files because the
 * snapshotter's invariants span rows: a commit moves a snapshot from one key to another, a remove must
 * see that no child points at its row, and labels change together with the row. One transaction does
 * each of these, WAL with synchronous=FULL makes it durable, and a crash leaves the old state or the
 * new one. Directories are created before their row is committed and removed after their row is
 * deleted, so a crash can only leave an unowned directory, which `gc` removes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('view', 'active', 'committed')),
  parent_id INTEGER REFERENCES snapshots(id) ON DELETE RESTRICT,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,
  inodes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS snapshots_parent ON snapshots(parent_id);
CREATE TABLE IF NOT EXISTS labels (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, name)
);
`;

/** A row as read back from the database (validated: the file may be old or edited). */
const Row = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: Kind,
  parent_id: z.number().int().nullable(),
  created: z.string(),
  updated: z.string(),
  size: z.number().int(),
  inodes: z.number().int(),
});
type Row = z.infer<typeof Row>;

export interface Snapshot {
  id: number;
  kind: Kind;
  /** Ids of the parent chain, nearest first. */
  parentIds: number[];
}

export class MetaStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  #row(key: string): Row | undefined {
    const raw = this.#db.prepare('SELECT * FROM snapshots WHERE key = ?').get(key);
    return raw === undefined ? undefined : Row.parse(raw);
  }

  #rowById(id: number): Row {
    return Row.parse(this.#db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id));
  }

  #must(key: string): Row {
    const row = this.#row(key);
    if (!row) throw new OverlayError('ENOTFOUND', `snapshot ${JSON.stringify(key)} does not exist`, { key });
    return row;
  }

  #labels(id: number): Labels {
    const rows = this.#db
      .prepare('SELECT name, value FROM labels WHERE snapshot_id = ? ORDER BY name')
      .all(id);
    return Object.fromEntries(
      (rows as { name: string; value: string }[]).map((r) => [String(r.name), String(r.value)]),
    );
  }

  #info(row: Row): Info {
    const parent = row.parent_id === null ? undefined : this.#rowById(row.parent_id).key;
    return {
      kind: row.kind,
      name: row.key,
      ...(parent !== undefined ? { parent } : {}),
      labels: this.#labels(row.id),
      created: new Date(row.created),
      updated: new Date(row.updated),
    };
  }

  #parentIds(row: Row): number[] {
    const ids: number[] = [];
    let parentId = row.parent_id;
    while (parentId !== null) {
      ids.push(parentId);
      parentId = this.#rowById(parentId).parent_id;
    }
    return ids;
  }

  #setLabels(id: number, labels: Labels): void {
    const insert = this.#db.prepare(
      'INSERT OR REPLACE INTO labels (snapshot_id, name, value) VALUES (?, ?, ?)',
    );
    for (const [name, value] of Object.entries(labels)) insert.run(id, name, value);
  }

  stat(key: string): Info {
    return this.#info(this.#must(key));
  }

  get(key: string): Snapshot {
    const row = this.#must(key);
    return { id: row.id, kind: row.kind, parentIds: this.#parentIds(row) };
  }

  /** Inserts a new active snapshot or view; call inside `transaction`. */
  create(kind: 'active' | 'view', key: string, parent: string | undefined, labels: Labels): Snapshot {
    if (key.length === 0)
      throw new OverlayError('EINVALIDARGUMENT', 'snapshot key must not be empty', { key });
    if (this.#row(key)) {
      throw new OverlayError('EALREADYEXISTS', `snapshot ${JSON.stringify(key)} already exists`, { key });
    }
    let parentRow: Row | undefined;
    if (parent !== undefined && parent !== '') {
      parentRow = this.#must(parent);
      if (parentRow.kind !== 'committed') {
        throw new OverlayError(
          'EFAILEDPRECONDITION',
          `parent ${JSON.stringify(parent)} is ${parentRow.kind}, not committed`,
          { key: parent },
        );
      }
    }
    const now = new Date().toISOString();
    const result = this.#db
      .prepare('INSERT INTO snapshots (key, kind, parent_id, created, updated) VALUES (?, ?, ?, ?, ?)')
      .run(key, kind, parentRow?.id ?? null, now, now);
    const id = Number(result.lastInsertRowid);
    this.#setLabels(id, labels);
    return { id, kind, parentIds: parentRow ? [parentRow.id, ...this.#parentIds(parentRow)] : [] };
  }

  /** Turns active `key` into committed `name` (same id, so its directory stays); call inside `transaction`. */
  commit(name: string, key: string, usage: Usage, labels: Labels): number {
    const row = this.#must(key);
    if (row.kind !== 'active') {
      throw new OverlayError(
        'EFAILEDPRECONDITION',
        `snapshot ${JSON.stringify(key)} is ${row.kind}, not active`,
        {
          key,
        },
      );
    }
    if (this.#row(name)) {
      throw new OverlayError('EALREADYEXISTS', `snapshot ${JSON.stringify(name)} already exists`, {
        key: name,
      });
    }
    this.#db
      .prepare(
        "UPDATE snapshots SET key = ?, kind = 'committed', updated = ?, size = ?, inodes = ? WHERE id = ?",
      )
      .run(name, new Date().toISOString(), usage.size, usage.inodes, row.id);
    this.#setLabels(row.id, labels);
    return row.id;
  }

  /** Deletes a snapshot's row; refuses when it has children. Call inside `transaction`. */
  remove(key: string): number {
    const row = this.#must(key);
    const child = this.#db.prepare('SELECT key FROM snapshots WHERE parent_id = ? LIMIT 1').get(row.id) as
      | { key: string }
      | undefined;
    if (child) {
      throw new OverlayError(
        'EHASCHILDREN',
        `snapshot ${JSON.stringify(key)} has children (for example ${JSON.stringify(child.key)})`,
        { key },
      );
    }
    this.#db.prepare('DELETE FROM snapshots WHERE id = ?').run(row.id);
    return row.id;
  }

  updateLabels(key: string, labels: Labels, fieldpaths?: string[]): Info {
    return this.transaction(() => {
      const row = this.#must(key);
      if (!fieldpaths || fieldpaths.length === 0) {
        this.#db.prepare('DELETE FROM labels WHERE snapshot_id = ?').run(row.id);
        this.#setLabels(row.id, labels);
      } else {
        for (const path of fieldpaths) {
          const name = path.startsWith('labels.') ? path.slice(7) : undefined;
          if (!name) {
            throw new OverlayError(
              'EINVALIDARGUMENT',
              `cannot update field ${JSON.stringify(path)}: only labels`,
              {
                key,
              },
            );
          }
          const value = labels[name];
          if (value === undefined) {
            this.#db.prepare('DELETE FROM labels WHERE snapshot_id = ? AND name = ?').run(row.id, name);
          } else this.#setLabels(row.id, { [name]: value });
        }
      }
      this.#db.prepare('UPDATE snapshots SET updated = ? WHERE id = ?').run(new Date().toISOString(), row.id);
      return this.#info(this.#must(key));
    });
  }

  /** Stored usage of a committed snapshot. */
  storedUsage(key: string): Usage {
    const row = this.#must(key);
    return { size: row.size, inodes: row.inodes };
  }

  all(): { info: Info; id: number }[] {
    const rows = this.#db.prepare('SELECT * FROM snapshots ORDER BY key').all();
    return rows.map((raw) => {
      const row = Row.parse(raw);
      return { info: this.#info(row), id: row.id };
    });
  }

  ids(): Set<number> {
    const rows = this.#db.prepare('SELECT id FROM snapshots').all() as { id: number }[];
    return new Set(rows.map((r) => Number(r.id)));
  }
}
