// The supervisor's metadata in one SQLite database (<root>/meta.db): namespaces, containers, tasks,
// images, leases. SQLite because several rows change together (a container and its labels, a lease and
// its resources, a task's state with its exit status) and must never be seen half-written; every
// multi-row change runs in one transaction. Labels, specs and descriptors are JSON columns (read back
// through zod by the services).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS namespaces (
  name TEXT PRIMARY KEY,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS containers (
  namespace TEXT NOT NULL REFERENCES namespaces(name),
  id TEXT NOT NULL,
  image TEXT NOT NULL DEFAULT '',
  snapshotter TEXT NOT NULL DEFAULT '',
  snapshot_key TEXT NOT NULL DEFAULT '',
  spec TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  runtime TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (namespace, id)
);
-- One task per container. status 'creating' is written before anything is made (shim, mounts,
-- cgroup), so a crash in the middle leaves a row that recovery cleans up.
CREATE TABLE IF NOT EXISTS tasks (
  namespace TEXT NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('creating', 'created', 'running', 'paused', 'stopped')),
  pid INTEGER NOT NULL DEFAULT 0,
  backend TEXT NOT NULL,
  dir TEXT NOT NULL,
  terminal INTEGER NOT NULL DEFAULT 0,
  stdin INTEGER NOT NULL DEFAULT 0,
  rootfs_mounted INTEGER NOT NULL DEFAULT 0,
  exit_code INTEGER,
  exit_signal INTEGER,
  exited_at TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (namespace, id),
  FOREIGN KEY (namespace, id) REFERENCES containers(namespace, id)
);
CREATE TABLE IF NOT EXISTS images (
  namespace TEXT NOT NULL REFERENCES namespaces(name),
  name TEXT NOT NULL,
  target TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS leases (
  namespace TEXT NOT NULL REFERENCES namespaces(name),
  id TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  expires_at TEXT,
  PRIMARY KEY (namespace, id)
);
CREATE TABLE IF NOT EXISTS lease_resources (
  namespace TEXT NOT NULL,
  lease_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('content', 'snapshots')),
  resource_id TEXT NOT NULL,
  PRIMARY KEY (namespace, lease_id, type, resource_id),
  FOREIGN KEY (namespace, lease_id) REFERENCES leases(namespace, id) ON DELETE CASCADE
);
`;

/**
 * What each schema version adds to the one before (version 1 is SCHEMA). A database is brought up
 * to SCHEMA_VERSION in the transaction that opens it, so it is never seen half-migrated.
 */
const MIGRATIONS: Record<number, string> = {
  // exec'd processes, so that a restarted supervisor follows them again through their shims
  2: `
CREATE TABLE IF NOT EXISTS execs (
  namespace TEXT NOT NULL,
  task_id TEXT NOT NULL,
  exec_id TEXT NOT NULL,
  process TEXT NOT NULL,
  terminal INTEGER NOT NULL DEFAULT 0,
  stdin INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('created', 'running', 'stopped')),
  pid INTEGER NOT NULL DEFAULT 0,
  exit_code INTEGER,
  exit_signal INTEGER,
  exited_at TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (namespace, task_id, exec_id),
  FOREIGN KEY (namespace, task_id) REFERENCES tasks(namespace, id) ON DELETE CASCADE
);
`,
};

export type Db = Database.Database;

/** Opens (and creates or migrates) the database under `root`. */
export function openDb(root: string): Db {
  mkdirSync(root, { recursive: true, mode: 0o711 });
  const db = new Database(join(root, 'meta.db'));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a crash of the process (kill -9) intact; only a power loss can drop the last
  // transactions, and a power loss ends every container anyway (tasks are recovered as exited)
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.transaction(() => {
    db.exec(SCHEMA);
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as
      | { value: string }
      | undefined;
    // a database without a version was just made from SCHEMA (version 1)
    const version = row ? Number(row.value) : 1;
    if (!Number.isInteger(version) || version < 1)
      throw new Error(`${join(root, 'meta.db')} has a bad schema version ${JSON.stringify(row?.value)}`);
    if (version > SCHEMA_VERSION)
      throw new Error(
        `${join(root, 'meta.db')} has schema version ${version}; this supervisor knows up to ${SCHEMA_VERSION}`,
      );
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      'schema_version',
      String(SCHEMA_VERSION),
    );
  })();
  return db;
}

/** Makes the namespace row when it is missing (namespaces spring into being on first use, as in containerd). */
export function ensureNamespace(db: Db, ns: string): void {
  db.prepare('INSERT OR IGNORE INTO namespaces (name, created_at) VALUES (?, ?)').run(
    ns,
    new Date().toISOString(),
  );
}
