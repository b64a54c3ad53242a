import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { type ContentStore, GC_REF_PREFIX, isContentError, type Writer, writeBlob } from '@berth/content';
import { type BlobDestination, DigestMismatchError } from '@berth/registry';

/** Content labels that keep a manifest's config and layers (or an index's manifests) alive in GC. */
export function manifestRefLabels(config: string, layers: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { [`${GC_REF_PREFIX}config`]: config };
  layers.forEach((digest, i) => {
    labels[`${GC_REF_PREFIX}l.${i}`] = digest;
  });
  return labels;
}

export function indexRefLabels(manifests: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  manifests.forEach((digest, i) => {
    labels[`${GC_REF_PREFIX}m.${i}`] = digest;
  });
  return labels;
}

/** Stores bytes (verified against `expected` when given) and sets labels; returns the digest. */
export async function putBytes(
  content: ContentStore,
  bytes: Uint8Array,
  options: { expected?: string; labels?: Record<string, string> } = {},
): Promise<string> {
  const digest = await writeBlob(content, bytes, {
    ref: `berth-image-put-${randomBytes(8).toString('hex')}`,
    size: bytes.length,
    ...(options.expected ? { expected: options.expected } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
  });
  if (options.labels && Object.keys(options.labels).length > 0) await content.update(digest, options.labels);
  return digest;
}

/** Stores a stream whose digest is not known up front; returns its digest and size. */
export async function putStream(
  content: ContentStore,
  source: AsyncIterable<Uint8Array>,
  expected?: { digest: string; size: number },
): Promise<{ digest: string; size: number }> {
  const ref = `berth-image-stream-${randomBytes(8).toString('hex')}`;
  if (expected && (await content.exists(expected.digest))) {
    // Drain the source so a caller piping into us sees it consumed.
    for await (const _ of source) void _;
    return expected;
  }
  const writer = await content.writer({
    ref,
    ...(expected ? { expected: expected.digest, total: expected.size } : {}),
  });
  let size = 0;
  try {
    for await (const chunk of source) {
      await writer.write(chunk);
      size += chunk.length;
    }
    try {
      return { digest: await writer.commit(), size };
    } catch (error) {
      if (isContentError(error, 'EALREADYEXISTS') && error.digest) return { digest: error.digest, size };
      throw error;
    }
  } catch (error) {
    await writer.close();
    await content.abort(ref).catch(() => {});
    throw error;
  }
}

/** The content ingest ref of a blob being pulled: stable, so a pull in a later process finds it. */
export function pullIngestRef(digest: string): string {
  return `berth-image-pull-${digest}`;
}

/**
 * A Writable into a content ingest for a blob being downloaded: `end` commits (size and digest are
 * checked by the store), and a digest mismatch drops the bytes. Any other failure (an abort, a
 * broken connection, a dead process) keeps them under the blob's ref, and the next pull continues
 * from there: `resume` tells the registry client how far the ingest got, lets it hash those bytes
 * (its final digest check covers the whole blob) and empties the ingest when the registry answers
 * a Range request with the whole blob. Ingests nobody resumes are dropped by the image store's GC
 * after a day, as containerd's leases expire.
 */
export async function ingestWritable(
  content: ContentStore,
  descriptor: { digest: string; size: number },
): Promise<BlobDestination> {
  const writer = await content.writer({
    ref: pullIngestRef(descriptor.digest),
    total: descriptor.size,
    expected: descriptor.digest,
  });
  const destination = new IngestWritable(content, writer);
  if (writer.offset === 0) return { destination };
  return {
    destination,
    resume: { offset: writer.offset, existing: () => writer.written(), restart: () => writer.truncate() },
  };
}

class IngestWritable extends Writable {
  readonly #content: ContentStore;
  readonly #writer: Writer;
  #committed = false;

  constructor(content: ContentStore, writer: Writer) {
    super({ highWaterMark: 1 << 20 });
    this.#content = content;
    this.#writer = writer;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writer.write(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#writer.commit().then(
      () => {
        this.#committed = true;
        callback();
      },
      (error: unknown) => {
        if (isContentError(error, 'EALREADYEXISTS')) {
          this.#committed = true;
          callback();
        } else callback(error as Error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const cleanup = async () => {
      const keep = !this.#committed && this.#writer.offset > 0 && !(error instanceof DigestMismatchError);
      await this.#writer.close();
      if (!this.#committed && !keep) await this.#content.abort(this.#writer.ref).catch(() => {});
    };
    cleanup().then(
      () => callback(error),
      () => callback(error),
    );
  }
}
