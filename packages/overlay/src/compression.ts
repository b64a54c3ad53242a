import { pipeline, Readable, type Transform } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { Decompress as ZstdDecompress } from 'fzstd';

/**
 * zstd: Node 20's zlib has none. Decompression uses fzstd (pure JS, streaming, no dependencies, by
 * fflate's author); compression uses @bokuweb/zstd-wasm (the reference zstd built to WebAssembly,
 * shipped inside the npm package, so nothing is downloaded or compiled at install). Its API is
 * one-shot, so a stream is compressed as a sequence of independent frames of FRAME bytes each,
 * which every zstd decoder reads as one stream (RFC 8878 §3.1).
 */
export type Compression = 'none' | 'gzip' | 'zstd';

const FRAME = 4 << 20;

/** @bokuweb/zstd-wasm's init() instantiates a new module each call (old views then read zeros): once only. */
let zstdReady: Promise<void> | undefined;

export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** Uncompressed bytes of a possibly gzip- or zstd-compressed stream (detected from its magic). */
export async function* decompress(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < 4) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    headLen += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  }
  const kind = detectCompression(first);
  if (kind === 'none') {
    yield* rest();
  } else if (kind === 'gzip') {
    yield* through(rest(), createGunzip());
  } else {
    let out: Uint8Array[] = [];
    const decoder = new ZstdDecompress((chunk) => {
      out.push(chunk);
    });
    for await (const chunk of rest()) {
      decoder.push(chunk);
      for (const piece of out) yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      out = [];
    }
    decoder.push(new Uint8Array(0), true);
    for (const piece of out) yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
  }
}

/** Compresses a stream; gzip output is reproducible (Node writes mtime 0 in the gzip header). */
export async function* compress(
  source: AsyncIterable<Buffer>,
  kind: Compression,
  level?: number,
): AsyncGenerator<Buffer> {
  if (kind === 'none') {
    yield* source;
  } else if (kind === 'gzip') {
    yield* through(source, createGzip({ level: level ?? 6 }));
  } else {
    zstdReady ??= zstdInit();
    await zstdReady;
    let pending: Buffer[] = [];
    let size = 0;
    const flush = () => {
      const frame = Buffer.from(zstdCompress(Buffer.concat(pending), level ?? 3));
      pending = [];
      size = 0;
      return frame;
    };
    for await (const chunk of source) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= FRAME) yield flush();
    }
    if (size > 0) yield flush();
  }
}

/** Runs `source` through a zlib transform; an error on either side rejects the iteration. */
async function* through(source: AsyncIterable<Buffer>, transform: Transform): AsyncGenerator<Buffer> {
  pipeline(Readable.from(source, { objectMode: false }), transform, (err) => {
    if (err) transform.destroy(err);
  });
  for await (const chunk of transform) yield chunk as Buffer;
}
