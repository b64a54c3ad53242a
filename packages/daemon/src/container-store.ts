// The daemon's containers: one directory per container under <data-root>/containers/<id>/ with the
// record in config.v2.json (atomic writes), an in-memory index of ids and names, and Docker's lookup
// rules (full id, name, unique id prefix).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX, writeFileAtomic, writeFileAtomicLater } from './atomic.js';
import { conflict, notFound } from './errors.js';
import { ContainerRecord } from './types.js';

const RECORD = 'config.v2.json';

export class ContainerStore {
  readonly root: string;
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>();
  /** names reserved by a create in progress */
  private readonly reserved = new Set<string>();
  /** per id, the number of the latest write: a deferred write lands only if it is still the latest */
  private readonly versions = new Map<string, number>();
  private writes = 0;
  /** deferred writes not yet on disk */
  private readonly pending = new Set<Promise<void>>();
  private readonly warn: (msg: string) => void;
  /** directories found at open without a record: what a crashed create or remove left */
  readonly unfinished: string[] = [];
  /** directories found at open with a record file, readable or not: their ids are taken */
  private readonly recorded = new Set<string>();

  constructor(root: string, warn: (msg: string) => void = () => {}) {
    this.root = root;
    this.warn = warn;
    mkdirSync(root, { recursive: true, mode: 0o710 });
    for (const id of readdirSync(root)) {
      // temp files of writes a crash cut short: the record beside them is whole
      try {
        for (const f of readdirSync(join(root, id)))
          if (f.startsWith(TEMP_PREFIX)) rmSync(join(root, id, f), { force: true });
      } catch {
        // not a directory
      }
      const file = join(root, id, RECORD);
      if (!existsSync(file)) {
        // a create that crashed before its first write (or a remove cut short): the directory
        // stays until the daemon has removed what may hang off the id (snapshot, supervisor
        // record), so a crash during that sweep leaves the mark for the next start
        this.unfinished.push(id);
        continue;
      }
      this.recorded.add(id);
      try {
        const rec = ContainerRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
        this.byId.set(rec.Id, rec);
        this.byName.set(rec.Name, rec.Id);
      } catch (e) {
        warn(`skipping container ${id}: ${file} is not a valid record (${(e as Error).message})`);
      }
    }
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  /** Reserves a name ("/x"); throws CONFLICT (409) as Docker does when it is taken. */
  reserveName(name: string, id: string): void {
    const owner = this.byName.get(name);
    if (owner !== undefined || this.reserved.has(name))
      throw conflict(
        `Conflict. The container name "${name}" is already in use by container "${owner ?? 'being created'}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    this.reserved.add(name);
    void id;
  }

  releaseName(name: string): void {
    this.reserved.delete(name);
  }

  nameTaken(name: string): boolean {
    return this.byName.has(name) || this.reserved.has(name);
  }

  /** Writes a record (new or updated) atomically and durably, and indexes it. */
  save(rec: ContainerRecord): void {
    const dir = this.dir(rec.Id);
    mkdirSync(dir, { recursive: true, mode: 0o710 });
    this.versions.set(rec.Id, ++this.writes);
    writeFileAtomic(join(dir, RECORD), JSON.stringify(rec));
    this.index(rec);
  }

  /**
   * Saves a change of run state (running, exited, health) that the next start can also learn from
   * the supervisor, which restore() asks: indexed at once, written atomically and durably but with
   * the fsync off the caller's path (a start or an exit does not wait for the disk). A crash before
   * it lands leaves the previous record, whole, which restore() reconciles with the task's state.
   */
  saveState(rec: ContainerRecord): void {
    const dir = this.dir(rec.Id);
    if (!existsSync(dir)) {
      this.save(rec);
      return;
    }
    const version = ++this.writes;
    this.versions.set(rec.Id, version);
    const write = writeFileAtomicLater(
      join(dir, RECORD),
      JSON.stringify(rec),
      () => this.versions.get(rec.Id) === version,
    ).catch((e: NodeJS.ErrnoException) => {
      // removed meanwhile: nothing to keep
      if (e.code !== 'ENOENT' || this.byId.has(rec.Id))
        this.warn(`writing the record of container ${rec.Id} failed: ${e.message}`);
    });
    this.pending.add(write);
    void write.then(() => this.pending.delete(write));
    this.index(rec);
  }

  /** Resolves once every deferred write is on disk (shutdown waits for it). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private index(rec: ContainerRecord): void {
    const old = this.byId.get(rec.Id);
    if (old && old.Name !== rec.Name) this.byName.delete(old.Name);
    this.byId.set(rec.Id, rec);
    this.byName.set(rec.Name, rec.Id);
    this.reserved.delete(rec.Name);
  }

  remove(id: string): void {
    const rec = this.byId.get(id);
    if (rec) this.byName.delete(rec.Name);
    this.byId.delete(id);
    this.recorded.delete(id);
    this.versions.delete(id);
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  /**
   * Whether an id belongs to a container: one indexed, or one whose directory held a record at
   * open (kept even when that record could not be read, so nothing of it is swept).
   */
  owns(id: string): boolean {
    return this.byId.has(id) || this.recorded.has(id);
  }

  /** Removes the directory of an unfinished create (the last step of sweeping it). */
  dropUnfinished(id: string): void {
    if (this.owns(id)) return;
    rmSync(this.dir(id), { recursive: true, force: true });
    const i = this.unfinished.indexOf(id);
    if (i >= 0) this.unfinished.splice(i, 1);
  }

  list(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  /** Docker's lookup: full id, then exact name, then unique id prefix. */
  find(ref: string): ContainerRecord | undefined {
    const full = this.byId.get(ref);
    if (full) return full;
    const byName = this.byName.get(ref.startsWith('/') ? ref : `/${ref}`);
    if (byName) return this.byId.get(byName);
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw conflict(`multiple IDs found with provided prefix: ${ref}`);
    return matches[0] ? this.byId.get(matches[0]) : undefined;
  }

  get(ref: string): ContainerRecord {
    const rec = this.find(ref);
    if (!rec) throw notFound(`No such container: ${ref}`);
    return rec;
  }
}
