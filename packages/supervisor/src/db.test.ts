import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureNamespace, openDb, SCHEMA_VERSION } from './db.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-supervisor-db-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('metadata database', () => {
  it('creates the schema once and reopens it', () => {
    const db = openDb(root);
    ensureNamespace(db, 'default');
    ensureNamespace(db, 'default');
    db.close();
    const again = openDb(root);
    expect(again.prepare('SELECT name FROM namespaces').all()).toEqual([{ name: 'default' }]);
    again.close();
  });

  it('migrates a version 1 database (no execs table) in place', () => {
    const db = openDb(root);
    db.exec('DROP TABLE execs');
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    db.close();
    const again = openDb(root);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
      value: String(SCHEMA_VERSION),
    });
    expect(again.prepare('SELECT count(*) AS n FROM execs').get()).toEqual({ n: 0 });
    again.close();
  });

  it('refuses a database written by a newer schema', () => {
    const db = openDb(root);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    db.close();
    expect(() => openDb(root)).toThrow(/schema version/);
  });
});
