import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createDigester,
  DigestMismatchError,
  digestOf,
  digestStream,
  parseDigest,
  UnsupportedDigestError,
  verifyDigest,
} from './digest.js';
import { SpecValidationError } from './errors.js';

const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_JSON = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

describe('digests', () => {
  it('computes sha256 and sha512 of bytes and strings', () => {
    expect(digestOf('')).toBe(EMPTY_SHA256);
    expect(digestOf(Buffer.from('{}'))).toBe(EMPTY_JSON);
    expect(digestOf('', 'sha512')).toBe(
      'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    );
  });

  it('streams: chunked updates give the digest of the whole, and count bytes', async () => {
    const d = createDigester('sha256');
    d.update('{').update(Buffer.from('}'));
    expect(d.size).toBe(2);
    expect(d.digest()).toBe(EMPTY_JSON);
    expect(d.digest()).toBe(EMPTY_JSON);
    expect(() => d.update('x')).toThrow(/finished/);
    await expect(digestStream(Readable.from([Buffer.from('{'), Buffer.from('}')]))).resolves.toEqual({
      digest: EMPTY_JSON,
      size: 2,
    });
  });

  it('parses digests and rejects malformed ones with EINVALIDSPEC', () => {
    expect(parseDigest(EMPTY_JSON)).toEqual({
      algorithm: 'sha256',
      encoded: EMPTY_JSON.slice(7),
      digest: EMPTY_JSON,
    });
    expect(parseDigest('sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564').algorithm).toBe(
      'sha256+b64u',
    );
    for (const bad of ['sha256', 'sha256:', ':abc', 'SHA256:abc', 'sha256:abc', `sha256:${'g'.repeat(64)}`]) {
      expect(() => parseDigest(bad), bad).toThrow(SpecValidationError);
    }
  });

  it('verifies content against a digest', () => {
    expect(() => verifyDigest('{}', EMPTY_JSON)).not.toThrow();
    const err = (() => {
      try {
        verifyDigest('[]', EMPTY_JSON);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err).toMatchObject({ code: 'EDIGESTMISMATCH', expected: EMPTY_JSON });
    expect(() => verifyDigest('{}', 'md5+hex:abcdef')).toThrow(UnsupportedDigestError);
  });
});
