// The content service: the supervisor's ContentStore behind the API's shape (RFC 3339 times, errors
// in the supervisor's codes). Blobs are shared by every namespace, as the image store uses them.
import { randomBytes } from 'node:crypto';
import { type ContentStore, type Digest, type Info, writeBlob } from '@berth/content';
import { z } from 'zod';
import { SupervisorError, translate } from './errors.js';
import type { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { ContentInfo, ContentService, Filters, Labels } from './types.js';
import { checkLabels, parseWith } from './validate.js';

const DigestString = z
  .string()
  .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, 'expected a digest like sha256:<hex>');
const checkDigest = (v: unknown): Digest => parseWith(DigestString, 'digest', v) as Digest;

const toInfo = (i: Info): ContentInfo => ({
  digest: i.digest,
  size: i.size,
  labels: i.labels,
  createdAt: i.createdAt.toISOString(),
  updatedAt: i.updatedAt.toISOString(),
});

export class ContentServiceImpl implements ContentService {
  constructor(
    private readonly store: ContentStore | undefined,
    private readonly events: EventBus,
  ) {}

  #store(): ContentStore {
    if (!this.store)
      throw new SupervisorError('FAILED_PRECONDITION', 'the supervisor was opened without a content store');
    return this.store;
  }

  async #call<T>(digest: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw translate(e, digest ? { id: digest } : {});
    }
  }

  info(digest: string): Promise<ContentInfo> {
    const d = checkDigest(digest);
    return this.#call(d, async () => toInfo(await this.#store().info(d)));
  }

  async list(filters?: Filters): Promise<ContentInfo[]> {
    const match = parseFilters(filters);
    const all = await this.#call(undefined, () => this.#store().list());
    return all.map(toInfo).filter((i) => match(lookupIn(i)));
  }

  update(digest: string, labels: Record<string, string | null>): Promise<ContentInfo> {
    const d = checkDigest(digest);
    return this.#call(d, async () => toInfo(await this.#store().update(d, labels)));
  }

  delete(digest: string): Promise<void> {
    const d = checkDigest(digest);
    return this.#call(d, async () => {
      await this.#store().delete(d);
      this.events.emit('default', '/content/delete', { digest: d });
    });
  }

  read(digest: string): Promise<Buffer> {
    const d = checkDigest(digest);
    return this.#call(d, () => this.#store().readBlob(d));
  }

  write(data: Buffer, opts: { ref?: string; expected?: string; labels?: Labels } = {}): Promise<string> {
    const expected = opts.expected !== undefined ? checkDigest(opts.expected) : undefined;
    const labels = checkLabels('labels', opts.labels);
    const ref = opts.ref ?? `supervisor-write-${randomBytes(8).toString('hex')}`;
    return this.#call(expected, () =>
      writeBlob(this.#store(), data, {
        ref,
        size: data.length,
        ...(expected ? { expected } : {}),
        labels,
      }),
    );
  }
}
