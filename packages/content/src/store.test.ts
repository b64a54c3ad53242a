import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from './digest.js';
import { ContentStore, GC_REF_PREFIX, GC_ROOT_LABEL, writeBlob } from './index.js';

let root: string;
let store: ContentStore;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'berth-content-'));
  store = await ContentStore.open(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function streamToBuffer(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('ContentStore', () => {
  it('commits a blob under its digest and reads it back', async () => {
    const data = Buffer.from('hello berth');
    const w = await store.writer({ ref: 'r1', total: data.length, expected: digestOf(data) });
    await w.write(data.subarray(0, 5));
    await w.write(data.subarray(5));
    const digest = await w.commit({ labels: { 'berth.io/gc.ref': 'x' } });
    expect(digest).toBe(digestOf(data));
    expect(await store.readBlob(digest)).toEqual(data);
    expect(await streamToBuffer(store.reader(digest, 6))).toEqual(Buffer.from('berth'));
    const info = await store.info(digest);
    expect(info.size).toBe(data.length);
    expect(info.labels).toEqual({ 'berth.io/gc.ref': 'x' });
    expect(await store.statuses()).toEqual([]);
  });

  it('never makes a blob visible when the digest does not match, and discards the ingest', async () => {
    const w = await store.writer({ ref: 'bad', expected: digestOf('right') });
    await w.write(Buffer.from('wrong'));
    await expect(w.commit()).rejects.toMatchObject({ code: 'EDIGESTMISMATCH', actual: digestOf('wrong') });
    expect(await store.list()).toEqual([]);
    expect(await store.exists(digestOf('wrong'))).toBe(false);
    expect(await store.statuses()).toEqual([]);
  });

  it('refuses a commit whose size differs from the expected size', async () => {
    const w = await store.writer({ ref: 'short', total: 10 });
    await w.write(Buffer.from('12345'));
    await expect(w.commit()).rejects.toMatchObject({ code: 'ESIZEMISMATCH', expected: 10, actual: 5 });
    expect(await store.list()).toEqual([]);
  });

  it('resumes an interrupted ingest by ref at its offset', async () => {
    const data = randomBytes(100_000);
    const digest = digestOf(data);
    const w1 = await store.writer({ ref: 'layer', total: data.length, expected: digest });
    await w1.write(data.subarray(0, 40_000));
    await w1.close();
    expect(await store.status('layer')).toMatchObject({ ref: 'layer', offset: 40_000, total: data.length });
    expect(await store.exists(digest)).toBe(false);

    const w2 = await store.writer({ ref: 'layer' });
    expect(w2.offset).toBe(40_000);
    await w2.write(data.subarray(40_000));
    expect(await w2.commit()).toBe(digest);
    expect(await store.readBlob(digest)).toEqual(data);
  });

  it('a resumed writer reads back its bytes, and truncate starts it over', async () => {
    const data = randomBytes(100_000);
    const first = await store.writer({ ref: 'again', total: data.length, expected: digestOf(data) });
    await first.write(data.subarray(0, 70_000));
    await first.close();
    const w = await store.writer({ ref: 'again' });
    expect(w.offset).toBe(70_000);
    expect(await streamToBuffer(w.written() as AsyncIterable<Buffer>)).toEqual(data.subarray(0, 70_000));
    await w.truncate();
    expect(w.offset).toBe(0);
    expect(await streamToBuffer(w.written() as AsyncIterable<Buffer>)).toEqual(Buffer.alloc(0));
    await w.write(data);
    expect(await w.commit()).toBe(digestOf(data));
  });

  it('writeBlob skips what a resumed ingest already has', async () => {
    const data = randomBytes(5000);
    const w1 = await store.writer({ ref: 'dl' });
    await w1.write(data.subarray(0, 1234));
    await w1.close();
    async function* chunks() {
      for (let i = 0; i < data.length; i += 1000) yield data.subarray(i, i + 1000);
    }
    const digest = await writeBlob(store, chunks(), {
      ref: 'dl',
      expected: digestOf(data),
      size: data.length,
    });
    expect(await store.readBlob(digest)).toEqual(data);
    // Writing it again is a no-op that returns the digest.
    expect(await writeBlob(store, data, { ref: 'dl2', expected: digest })).toBe(digest);
  });

  it('allows one writer per ref at a time', async () => {
    const w = await store.writer({ ref: 'locked' });
    await expect(store.writer({ ref: 'locked' })).rejects.toMatchObject({ code: 'ELOCKED' });
    await expect(store.abort('locked')).rejects.toMatchObject({ code: 'ELOCKED' });
    await w.close();
    await store.abort('locked');
    await expect(store.status('locked')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('two writers of one ref opened at the same moment: exactly one gets it', async () => {
    const results = await Promise.allSettled([store.writer({ ref: 'race' }), store.writer({ ref: 'race' })]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ELOCKED' });
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof store.writer>>>).value.close();
  });

  it('refuses to start an ingest for content that already exists', async () => {
    const digest = await writeBlob(store, Buffer.from('x'), { ref: 'a' });
    await expect(store.writer({ ref: 'b', expected: digest })).rejects.toMatchObject({
      code: 'EALREADYEXISTS',
    });
  });

  it('lists, relabels and deletes blobs', async () => {
    const a = await writeBlob(store, Buffer.from('a'), { ref: 'a', labels: { keep: '1' } });
    const b = await writeBlob(store, Buffer.from('b'), { ref: 'b' });
    expect((await store.list()).map((i) => i.digest).sort()).toEqual([a, b].sort());
    expect((await store.list((i) => 'keep' in i.labels)).map((i) => i.digest)).toEqual([a]);
    const info = await store.update(b, { keep: '2', other: 'y' });
    expect(info.labels).toEqual({ keep: '2', other: 'y' });
    expect((await store.update(b, { other: null })).labels).toEqual({ keep: '2' });
    await store.delete(a);
    await expect(store.info(a)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(store.delete(a)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(() => store.reader(a)).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
    expect(readdirSync(join(root, 'labels', 'sha256'))).toEqual([`${b.slice(7)}.json`]);
  });

  it('verifies sha512 digests too and rejects malformed ones', async () => {
    const data = Buffer.from('five twelve');
    const digest = digestOf(data, 'sha512');
    expect(await writeBlob(store, data, { ref: 's512', expected: digest })).toBe(digest);
    await expect(store.info('sha256:nothex' as string)).rejects.toMatchObject({ code: 'EINVALIDDIGEST' });
  });

  it('gc keeps roots and what their gc.ref labels name, deletes the rest and stale ingests', async () => {
    const layer = await writeBlob(store, Buffer.from('layer'), { ref: 'l' });
    const config = await writeBlob(store, Buffer.from('config'), { ref: 'c' });
    const manifest = await writeBlob(store, Buffer.from('manifest'), {
      ref: 'm',
      labels: {
        [GC_ROOT_LABEL]: 'image',
        [`${GC_REF_PREFIX}config`]: config,
        [`${GC_REF_PREFIX}l.0`]: layer,
      },
    });
    const extra = await writeBlob(store, Buffer.from('extra'), { ref: 'e' });
    const orphan = await writeBlob(store, Buffer.from('orphan'), { ref: 'o' });
    const stale = await store.writer({ ref: 'stale' });
    await stale.write(Buffer.from('part'));
    await stale.close();
    const staleData = join(root, 'ingest', createHash('sha256').update('stale').digest('hex'), 'data');
    utimesSync(staleData, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const open = await store.writer({ ref: 'open' });
    const result = await store.gc({ roots: [extra], ingestsOlderThan: 60_000 });
    expect(result.removed).toEqual([orphan]);
    expect(result.abortedIngests).toEqual(['stale']);
    expect((await store.list()).map((i) => i.digest).sort()).toEqual([layer, config, manifest, extra].sort());
    expect((await store.statuses()).map((s) => s.ref)).toEqual(['open']);
    await open.close();
  });
});
