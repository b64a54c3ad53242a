import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { ContentError } from './errors.js';

/** Algorithms the store can verify; the OCI image spec registers these two. */
export const DigestAlgorithm = z.enum(['sha256', 'sha512']);
export type DigestAlgorithm = z.infer<typeof DigestAlgorithm>;

const hexLength: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** `algorithm:hex` with the hex length the algorithm produces (lowercase only, as the spec says). */
export const Digest = z
  .string()
  .regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, 'expected sha256:<64 hex> or sha512:<128 hex>');
export type Digest = z.infer<typeof Digest>;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

export function parseDigest(value: string): ParsedDigest {
  const result = Digest.safeParse(value);
  if (!result.success) {
    throw new ContentError('EINVALIDDIGEST', `invalid digest ${JSON.stringify(value)}`, { digest: value });
  }
  const [algorithm, hex] = value.split(':') as [DigestAlgorithm, string];
  if (hex.length !== hexLength[algorithm]) {
    throw new ContentError('EINVALIDDIGEST', `invalid digest ${JSON.stringify(value)}`, { digest: value });
  }
  return { algorithm, hex };
}

export function newHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}
