import type { Digest } from './digest.js';
import { isContentError } from './errors.js';
import type { ContentStore } from './store.js';
import type { Labels } from './types.js';

export interface WriteBlobOptions {
  ref: string;
  expected?: Digest;
  size?: number;
  labels?: Labels;
}

/**
 * Writes a whole blob from bytes or a stream through a verified ingest and commits it. If the ingest
 * was already partly written (an earlier download died), the first `offset` bytes of `source` are
 * skipped rather than written again. A blob that already exists is not an error: its digest is returned.
 */
export async function writeBlob(
  store: ContentStore,
  source: Uint8Array | AsyncIterable<Uint8Array>,
  options: WriteBlobOptions,
): Promise<Digest> {
  if (options.expected && (await store.exists(options.expected))) return options.expected;
  const writer = await store.writer({ ref: options.ref, total: options.size, expected: options.expected });
  try {
    let skip = writer.offset;
    const chunks = source instanceof Uint8Array ? [source] : source;
    for await (const chunk of chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      await writer.write(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
    return await writer.commit({ labels: options.labels });
  } catch (err) {
    if (isContentError(err, 'EALREADYEXISTS') && err.digest) return err.digest;
    throw err;
  } finally {
    await writer.close();
  }
}
