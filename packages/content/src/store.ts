import { createHash } from 'node:crypto';
import { accessSync, createReadStream, type ReadStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from './atomic.js';
import { type Digest, DigestAlgorithm, parseDigest } from './digest.js';
import { ContentError } from './errors.js';
import { BlobMeta, type Info, IngestMeta, Labels, type Status } from './types.js';
import { Writer } from './writer.js';

export interface WriterOptions {
  /** Names the ingest; a second writer with the same ref resumes it (and waits for no one: ELOCKED). */
  ref: string;
  /** Expected size, checked at commit. */
  total?: number;
  /** Expected digest, checked at commit; also picks the hash algorithm. */
  expected?: Digest;
}

/** A blob with this label (any value) is a GC root. */
export const GC_ROOT_LABEL = 'berth.io/gc.root';
/** Labels with this prefix name another blob (by digest) that the labelled blob keeps alive. */
export const GC_REF_PREFIX = 'berth.io/gc.ref.content.';

export interface GcOptions {
  /** Extra digests to keep (for example every manifest an image store names). */
  roots?: Iterable<string>;
  /** Also drop ingests not written to for this long (milliseconds); open writers are never dropped. */
  ingestsOlderThan?: number;
}

export interface GcResult {
  removed: Digest[];
  abortedIngests: string[];
}

/** Label changes: a string sets a label, null removes it. */
export type LabelUpdate = Record<string, string | null>;

/**
 * A content-addressable blob store in one directory:
 *
 *     <root>/blobs/<alg>/<hex>          committed blobs, immutable, named by their digest
 *     <root>/labels/<alg>/<hex>.json    labels and times of a blob (atomic temp file + rename)
 *     <root>/ingest/<sha256(ref)>/      ingests in progress: ref, meta.json, data, lock
 *
 * Metadata is kept in atomic files rather than SQLite: each blob's record is independent (no update
 * touches two blobs), a blob exists exactly when its file does (no database to drift from the
 * directory), and the store needs no native module. Labels are written before the blob is renamed
 * into place, so a crash leaves at worst a labels file with no blob, which reads ignore and a later
 * commit or delete overwrites.
 */
export class ContentStore {
  readonly root: string;
  readonly #locks = new Set<string>();

  private constructor(root: string) {
    this.root = root;
  }

  static async open(root: string): Promise<ContentStore> {
    for (const dir of ['blobs', 'labels', 'ingest']) await mkdir(join(root, dir), { recursive: true });
    return new ContentStore(root);
  }

  /** Where a committed blob lives (for readers that want a path, such as a layer applier). */
  blobPath(digest: Digest): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'blobs', algorithm, hex);
  }

  #labelsPath(digest: Digest): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'labels', algorithm, `${hex}.json`);
  }

  #ingestDir(ref: string): string {
    return join(this.root, 'ingest', createHash('sha256').update(ref).digest('hex'));
  }

  async info(digest: Digest): Promise<Info> {
    const path = this.blobPath(digest);
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        throw new ContentError('ENOTFOUND', `content ${digest}: not found`, { digest, path });
      }
      throw err;
    });
    const meta = await this.#readMeta(digest);
    return {
      digest,
      size: st.size,
      createdAt: meta ? new Date(meta.createdAt) : st.mtime,
      updatedAt: meta ? new Date(meta.updatedAt) : st.mtime,
      labels: meta?.labels ?? {},
    };
  }

  async exists(digest: Digest): Promise<boolean> {
    return stat(this.blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  async #readMeta(digest: Digest): Promise<BlobMeta | undefined> {
    try {
      return BlobMeta.parse(JSON.parse(await readFile(this.#labelsPath(digest), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Sets (string) or removes (null) labels of a committed blob; returns the new info. */
  async update(digest: Digest, changes: LabelUpdate): Promise<Info> {
    const info = await this.info(digest);
    const labels: Labels = { ...info.labels };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete labels[key];
      else labels[key] = value;
    }
    const meta: BlobMeta = {
      createdAt: info.createdAt.toISOString(),
      updatedAt: new Date().toISOString(),
      labels: Labels.parse(labels),
    };
    await this.#writeMeta(digest, meta);
    return this.info(digest);
  }

  async #writeMeta(digest: Digest, meta: BlobMeta): Promise<void> {
    const { algorithm } = parseDigest(digest);
    await mkdir(join(this.root, 'labels', algorithm), { recursive: true });
    writeFileAtomic(this.#labelsPath(digest), JSON.stringify(meta));
  }

  /** Every committed blob, optionally filtered. */
  async list(filter?: (info: Info) => boolean): Promise<Info[]> {
    const out: Info[] = [];
    for (const algorithm of DigestAlgorithm.options) {
      const dir = join(this.root, 'blobs', algorithm);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const hex of names.sort()) {
        const info = await this.info(`${algorithm}:${hex}`).catch(() => undefined);
        if (info && (!filter || filter(info))) out.push(info);
      }
    }
    return out;
  }

  async delete(digest: Digest): Promise<void> {
    const path = this.blobPath(digest);
    try {
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ContentError('ENOTFOUND', `content ${digest}: not found`, { digest, path });
      }
      throw err;
    }
    await rm(this.#labelsPath(digest), { force: true });
  }

  /** A stream of a committed blob's bytes (from `start`, for ranged reads). */
  reader(digest: Digest, start = 0): ReadStream {
    const path = this.blobPath(digest);
    // Fail here rather than in the stream's first tick, so callers get ENOTFOUND synchronously.
    try {
      accessSync(path);
    } catch {
      throw new ContentError('ENOTFOUND', `content ${digest}: not found`, { digest, path });
    }
    return createReadStream(path, { start });
  }

  async readBlob(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ContentError('ENOTFOUND', `content ${digest}: not found`, { digest });
      }
      throw err;
    }
  }

  /**
   * Starts or resumes the ingest named `ref`. Only one writer may hold a ref at a time, in this process
   * and across processes (a lock file created with O_EXCL; a stale one from a dead process is taken over).
   */
  async writer(options: WriterOptions): Promise<Writer> {
    const { ref } = options;
    if (ref.length === 0) throw new ContentError('EINVALIDREF', 'ingest ref must not be empty', { ref });
    if (options.expected) {
      parseDigest(options.expected);
      if (await this.exists(options.expected)) {
        throw new ContentError('EALREADYEXISTS', `content ${options.expected}: already exists`, {
          digest: options.expected,
          ref,
        });
      }
    }
    const dir = this.#ingestDir(ref);
    await mkdir(dir, { recursive: true });
    await this.#lock(ref, dir);
    try {
      const metaPath = join(dir, 'meta.json');
      let meta: IngestMeta;
      try {
        meta = IngestMeta.parse(JSON.parse(await readFile(metaPath, 'utf8')));
        if (options.total !== undefined) meta.total = options.total;
        if (options.expected !== undefined) meta.expected = options.expected;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        meta = { ref, startedAt: new Date().toISOString(), total: options.total, expected: options.expected };
      }
      writeFileAtomic(metaPath, JSON.stringify(meta));
      return await Writer.open(
        ref,
        join(dir, 'data'),
        {
          publish: (digest, dataPath, labels) => this.#publish(digest, dataPath, labels),
          release: (r, remove) => this.#release(r, remove),
        },
        meta.total,
        meta.expected,
      );
    } catch (err) {
      await this.#release(ref, false);
      throw err;
    }
  }

  async #lock(ref: string, dir: string): Promise<void> {
    const lockPath = join(dir, 'lock');
    const locked = () =>
      new ContentError('ELOCKED', `ingest ${ref} is being written by another writer`, { ref });
    if (this.#locks.has(ref)) throw locked();
    // reserved before the first await, so a second writer of this process is refused here rather
    // than taking our lock file for a stale one of its own pid
    this.#locks.add(ref);
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const fh = await open(lockPath, 'wx');
          await fh.writeFile(String(process.pid));
          await fh.close();
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          const pid = Number(await readFile(lockPath, 'utf8').catch(() => '0'));
          if (pid > 0 && pid !== process.pid && processAlive(pid)) throw locked();
          await rm(lockPath, { force: true }); // stale: its writer died (or it was ours and was closed)
        }
      }
      throw locked();
    } catch (err) {
      this.#locks.delete(ref);
      throw err;
    }
  }

  async #release(ref: string, removeIngest: boolean): Promise<void> {
    const dir = this.#ingestDir(ref);
    if (removeIngest) await rm(dir, { recursive: true, force: true });
    else await rm(join(dir, 'lock'), { force: true });
    this.#locks.delete(ref);
  }

  async #publish(digest: Digest, dataPath: string, labels: Labels | undefined): Promise<void> {
    const target = this.blobPath(digest);
    const { algorithm } = parseDigest(digest);
    await mkdir(join(this.root, 'blobs', algorithm), { recursive: true });
    const now = new Date().toISOString();
    await this.#writeMeta(digest, { createdAt: now, updatedAt: now, labels: Labels.parse(labels ?? {}) });
    // link(2) instead of rename(2): it fails with EEXIST rather than replacing a blob someone else committed.
    try {
      await link(dataPath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ContentError('EALREADYEXISTS', `content ${digest}: already exists`, {
          digest,
          path: target,
        });
      }
      throw err;
    }
    fsyncDir(join(this.root, 'blobs', algorithm));
  }

  /**
   * Mark and sweep: blobs labelled `berth.io/gc.root` and `options.roots` are kept, and so is every
   * blob a kept blob names in a `berth.io/gc.ref.content.*` label (an index its manifests, a manifest
   * its config and layers); every other blob is deleted.
   */
  async gc(options: GcOptions = {}): Promise<GcResult> {
    const all = await this.list();
    const byDigest = new Map(all.map((info) => [info.digest, info]));
    const keep = new Set<string>();
    const queue = [...(options.roots ?? [])];
    for (const info of all) if (GC_ROOT_LABEL in info.labels) queue.push(info.digest);
    while (queue.length > 0) {
      const digest = queue.pop()!;
      const info = byDigest.get(digest);
      if (!info || keep.has(digest)) continue;
      keep.add(digest);
      for (const [label, value] of Object.entries(info.labels)) {
        if (label.startsWith(GC_REF_PREFIX)) queue.push(value);
      }
    }
    const removed: Digest[] = [];
    for (const info of all) {
      if (keep.has(info.digest)) continue;
      await this.delete(info.digest);
      removed.push(info.digest);
    }
    const abortedIngests: string[] = [];
    if (options.ingestsOlderThan !== undefined) {
      const cutoff = Date.now() - options.ingestsOlderThan;
      for (const status of await this.statuses()) {
        if (status.updatedAt.getTime() >= cutoff || this.#locks.has(status.ref)) continue;
        try {
          await this.abort(status.ref);
          abortedIngests.push(status.ref);
        } catch {
          // Taken by a writer in another process in the meantime: not stale after all.
        }
      }
    }
    return { removed, abortedIngests };
  }

  /** Progress of one ingest. */
  async status(ref: string): Promise<Status> {
    const dir = this.#ingestDir(ref);
    let meta: IngestMeta;
    try {
      meta = IngestMeta.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ContentError('ENOTFOUND', `ingest ${ref}: not found`, { ref });
      }
      throw err;
    }
    const st = await stat(join(dir, 'data')).catch(() => undefined);
    return {
      ref: meta.ref,
      offset: st?.size ?? 0,
      total: meta.total,
      expected: meta.expected,
      startedAt: new Date(meta.startedAt),
      updatedAt: st?.mtime ?? new Date(meta.startedAt),
    };
  }

  /** Every ingest in progress (including ones left by a crash, which can be resumed or aborted). */
  async statuses(): Promise<Status[]> {
    const out: Status[] = [];
    for (const id of await readdir(join(this.root, 'ingest'))) {
      try {
        const meta = IngestMeta.parse(
          JSON.parse(await readFile(join(this.root, 'ingest', id, 'meta.json'), 'utf8')),
        );
        out.push(await this.status(meta.ref));
      } catch {
        // A directory whose meta.json was never written: the process died before the first write.
      }
    }
    return out.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** Drops an ingest and its bytes; refused (ELOCKED) while a writer, here or in a live process, holds it. */
  async abort(ref: string): Promise<void> {
    const dir = this.#ingestDir(ref);
    if (this.#locks.has(ref)) throw new ContentError('ELOCKED', `ingest ${ref} has an open writer`, { ref });
    const st = await stat(dir).catch(() => undefined);
    if (!st) throw new ContentError('ENOTFOUND', `ingest ${ref}: not found`, { ref });
    const pid = Number(await readFile(join(dir, 'lock'), 'utf8').catch(() => '0'));
    if (pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new ContentError('ELOCKED', `ingest ${ref} is being written by process ${pid}`, { ref });
    }
    await rm(dir, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
