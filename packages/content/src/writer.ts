import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { type Digest, type DigestAlgorithm, newHash, parseDigest } from './digest.js';
import { ContentError } from './errors.js';
import type { Labels } from './types.js';

/** Options of `Writer.commit`: what the finished blob must be. */
export interface CommitOptions {
  /** Required size; defaults to the `total` given when the ingest started. */
  size?: number;
  /** Required digest; defaults to the `expected` digest given when the ingest started. */
  expected?: Digest;
  labels?: Labels;
}

/** Hooks the store gives a writer: where the blob goes and how to release the ref's lock. */
export interface WriterHost {
  publish(digest: Digest, dataPath: string, labels: Labels | undefined): Promise<void>;
  release(ref: string, removeIngest: boolean): Promise<void>;
}

/**
 * An ingest: bytes written here stay in the ingest directory until `commit` has checked size and
 * digest and renamed them into place, so a partial or corrupt download is never visible as a blob.
 * `close` without `commit` keeps the bytes so a later writer with the same ref resumes at `offset`.
 */
export class Writer {
  readonly ref: string;
  readonly total: number | undefined;
  readonly expected: Digest | undefined;
  #offset: number;
  #hash: Hash;
  #algorithm: DigestAlgorithm;
  #fh: FileHandle | undefined;
  #dataPath: string;
  #host: WriterHost;

  private constructor(
    ref: string,
    fh: FileHandle,
    dataPath: string,
    offset: number,
    hash: Hash,
    algorithm: DigestAlgorithm,
    host: WriterHost,
    total?: number,
    expected?: Digest,
  ) {
    this.ref = ref;
    this.#fh = fh;
    this.#dataPath = dataPath;
    this.#offset = offset;
    this.#hash = hash;
    this.#algorithm = algorithm;
    this.#host = host;
    this.total = total;
    this.expected = expected;
  }

  /**
   * Opens (or reopens) the ingest's data file. A Node hash cannot be saved, so a resumed ingest
   * re-reads the bytes already on disk to rebuild the digest state, as containerd does.
   */
  static async open(
    ref: string,
    dataPath: string,
    host: WriterHost,
    total?: number,
    expected?: Digest,
  ): Promise<Writer> {
    const algorithm = expected ? parseDigest(expected).algorithm : 'sha256';
    const hash = newHash(algorithm);
    let offset = 0;
    const existing = await stat(dataPath).catch(() => undefined);
    if (existing) {
      for await (const chunk of createReadStream(dataPath)) {
        hash.update(chunk as Buffer);
        offset += (chunk as Buffer).length;
      }
    }
    const fh = await open(dataPath, existing ? 'r+' : 'wx', 0o644);
    return new Writer(ref, fh, dataPath, offset, hash, algorithm, host, total, expected);
  }

  /** Bytes already in the ingest: where a resumed download continues. */
  get offset(): number {
    return this.#offset;
  }

  /** The bytes written so far (for a downloader that must hash them before it continues). */
  written(): AsyncIterable<Uint8Array> {
    this.#handle();
    if (this.#offset === 0) return (async function* () {})();
    return createReadStream(this.#dataPath, { start: 0, end: this.#offset - 1 });
  }

  /** Drops every byte written so far: the ingest starts over at offset 0. */
  async truncate(): Promise<void> {
    const fh = this.#handle();
    await fh.truncate(0);
    this.#hash = newHash(this.#algorithm);
    this.#offset = 0;
  }

  async write(chunk: Uint8Array): Promise<void> {
    const fh = this.#handle();
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, this.#offset + done);
      done += bytesWritten;
    }
    this.#hash.update(chunk);
    this.#offset += chunk.length;
  }

  /** Digest of the bytes written so far. */
  digest(): Digest {
    return `${this.#algorithm}:${this.#hash.copy().digest('hex')}`;
  }

  /**
   * Verifies size and digest, then atomically renames the data into the blob store. On a mismatch the
   * ingest is discarded (its bytes are known bad) and a ContentError says what differed.
   */
  async commit(options: CommitOptions = {}): Promise<Digest> {
    const fh = this.#handle();
    const size = options.size ?? this.total;
    const expected = options.expected ?? this.expected;
    await fh.sync();
    await fh.close();
    this.#fh = undefined;
    if (size !== undefined && size !== this.#offset) {
      await this.#host.release(this.ref, true);
      throw new ContentError('ESIZEMISMATCH', `ingest ${this.ref}: got ${this.#offset} bytes, want ${size}`, {
        ref: this.ref,
        expected: size,
        actual: this.#offset,
      });
    }
    let actual: Digest = this.digest();
    if (expected !== undefined) {
      const { algorithm } = parseDigest(expected);
      if (algorithm !== this.#algorithm) {
        // The ingest was started without knowing the digest; hash again with the algorithm asked for.
        const hash = newHash(algorithm);
        for await (const chunk of createReadStream(this.#dataPath)) hash.update(chunk as Buffer);
        actual = `${algorithm}:${hash.digest('hex')}`;
      }
      if (actual !== expected) {
        await this.#host.release(this.ref, true);
        throw new ContentError(
          'EDIGESTMISMATCH',
          `ingest ${this.ref}: content is ${actual}, want ${expected}`,
          {
            ref: this.ref,
            expected,
            actual,
          },
        );
      }
    }
    try {
      await this.#host.publish(actual, this.#dataPath, options.labels);
    } finally {
      await this.#host.release(this.ref, true);
    }
    return actual;
  }

  /** Closes the writer and keeps the ingest for a later resume. Safe to call after commit. */
  async close(): Promise<void> {
    if (this.#fh) {
      const fh = this.#fh;
      this.#fh = undefined;
      await fh.close();
      await this.#host.release(this.ref, false);
    }
  }

  #handle(): FileHandle {
    if (!this.#fh) throw new ContentError('ECLOSED', `ingest ${this.ref} is closed`, { ref: this.ref });
    return this.#fh;
  }
}
