import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { parseOrThrow } from './errors.js';

// Content digests, `<algorithm>:<encoded>` (image-spec v1.1 descriptor.md "Digests").
// The grammar accepts any algorithm; the two registered ones have a fixed encoding that the spec says
// MUST be checked: sha256 → 64 and sha512 → 128 lowercase hex characters.

/** The algorithms berth can compute. */
export type DigestAlgorithm = 'sha256' | 'sha512';

const GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const REGISTERED: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/** A digest string such as `sha256:e3b0c442...`. Unknown algorithms pass if they follow the grammar. */
export const Digest = z.string().superRefine((s, ctx) => {
  if (!GRAMMAR.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'expected a digest like sha256:<64 hex characters>' });
    return;
  }
  const colon = s.indexOf(':');
  const algorithm = s.slice(0, colon);
  const pattern = REGISTERED[algorithm];
  if (pattern && !pattern.test(s.slice(colon + 1))) {
    const length = algorithm === 'sha256' ? 64 : 128;
    ctx.addIssue({
      code: 'custom',
      message: `expected ${length} lowercase hex characters after ${algorithm}:`,
    });
  }
});
export type Digest = z.infer<typeof Digest>;

export interface ParsedDigest {
  /** `sha256`, `sha512`, or an unregistered algorithm name. */
  readonly algorithm: string;
  /** The part after the colon. */
  readonly encoded: string;
  /** The whole digest string. */
  readonly digest: string;
}

/** Split a digest into algorithm and encoded part; throws SpecValidationError (EINVALIDSPEC) if malformed. */
export function parseDigest(value: string): ParsedDigest {
  const digest = parseOrThrow(Digest, value, 'digest');
  const colon = digest.indexOf(':');
  return { algorithm: digest.slice(0, colon), encoded: digest.slice(colon + 1), digest };
}

/** Whether `algorithm` is one berth can compute. */
export function isSupportedAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return algorithm === 'sha256' || algorithm === 'sha512';
}

/** The digest of some bytes (strings are hashed as UTF-8). */
export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** An incremental digest: feed chunks as they stream by, then read `digest()` once. */
export interface Digester {
  readonly algorithm: DigestAlgorithm;
  /** Bytes fed so far. */
  readonly size: number;
  update(chunk: Uint8Array | string): this;
  /** The digest of everything fed; the digester cannot be updated afterwards. */
  digest(): string;
}

class HashDigester implements Digester {
  readonly algorithm: DigestAlgorithm;
  #hash: Hash;
  #size = 0;
  #done: string | undefined;

  constructor(algorithm: DigestAlgorithm) {
    this.algorithm = algorithm;
    this.#hash = createHash(algorithm);
  }

  get size(): number {
    return this.#size;
  }

  update(chunk: Uint8Array | string): this {
    if (this.#done !== undefined) throw new Error('digester already finished');
    this.#size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    this.#hash.update(chunk);
    return this;
  }

  digest(): string {
    this.#done ??= `${this.algorithm}:${this.#hash.digest('hex')}`;
    return this.#done;
  }
}

/** A streaming digester (node:crypto underneath). */
export function createDigester(algorithm: DigestAlgorithm = 'sha256'): Digester {
  if (!isSupportedAlgorithm(algorithm)) throw new UnsupportedDigestError(algorithm);
  return new HashDigester(algorithm);
}

/** Digest (and count) everything an async iterable of chunks (e.g. a fs.ReadStream) yields. */
export async function digestStream(
  source: AsyncIterable<Uint8Array | string>,
  algorithm: DigestAlgorithm = 'sha256',
): Promise<{ digest: string; size: number }> {
  const digester = createDigester(algorithm);
  for await (const chunk of source) digester.update(chunk);
  return { digest: digester.digest(), size: digester.size };
}

/** The digest uses an algorithm berth cannot compute. */
export class UnsupportedDigestError extends Error {
  readonly code = 'EDIGESTALGORITHM' as const;
  readonly algorithm: string;
  constructor(algorithm: string) {
    super(`unsupported digest algorithm ${JSON.stringify(algorithm)} (supported: sha256, sha512)`);
    this.name = 'UnsupportedDigestError';
    this.algorithm = algorithm;
  }
}

/** Content does not have the digest it was expected to have. */
export class DigestMismatchError extends Error {
  readonly code = 'EDIGESTMISMATCH' as const;
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`digest mismatch: expected ${expected}, got ${actual}`);
    this.name = 'DigestMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Check that `data` has digest `expected` (computed with `expected`'s algorithm).
 * Throws SpecValidationError if `expected` is malformed, UnsupportedDigestError for unknown algorithms,
 * DigestMismatchError if the content differs.
 */
export function verifyDigest(data: Uint8Array | string, expected: string): void {
  const { algorithm } = parseDigest(expected);
  if (!isSupportedAlgorithm(algorithm)) throw new UnsupportedDigestError(algorithm);
  const actual = digestOf(data, algorithm);
  if (actual !== expected) throw new DigestMismatchError(expected, actual);
}
