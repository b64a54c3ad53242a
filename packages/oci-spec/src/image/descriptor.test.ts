import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { readFixture } from '../test-support/fixtures.js';
import { Descriptor, Platform } from './descriptor.js';

const base = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 7682,
  digest: 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270',
};

describe('Descriptor', () => {
  it("accepts the spec's descriptor example with urls", () => {
    expect(Descriptor.parse(readFixture('spec-examples/oci-descriptor-urls.json')).urls).toEqual([
      'https://example.com/example-manifest',
    ]);
  });

  it('accepts an unregistered digest algorithm that follows the grammar', () => {
    expect(
      Descriptor.safeParse({
        ...base,
        digest: 'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
      }).success,
    ).toBe(true);
  });

  it('accepts sha512 digests of the right length only', () => {
    expect(Descriptor.safeParse({ ...base, digest: `sha512:${'a'.repeat(128)}` }).success).toBe(true);
    expectInvalid(Descriptor, { ...base, digest: `sha512:${'a'.repeat(64)}` }, 'digest', /128/);
  });

  it('rejects uppercase sha256 hex, a non-URL and non-base64 data', () => {
    expectInvalid(Descriptor, { ...base, digest: `sha256:${'A'.repeat(64)}` }, 'digest');
    expectInvalid(Descriptor, { ...base, urls: ['not a url'] }, 'urls[0]');
    expectInvalid(Descriptor, { ...base, data: '!!' }, 'data');
  });

  it('rejects a fractional size', () => {
    expectInvalid(Descriptor, { ...base, size: 1.5 }, 'size', /integer/);
  });
});

describe('Platform', () => {
  it('keeps os.version and os.features', () => {
    const p = Platform.parse({
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.14393.1066',
      'os.features': ['win32k'],
    });
    expect(p['os.version']).toBe('10.0.14393.1066');
  });

  it('requires architecture', () => {
    expectInvalid(Platform, { os: 'linux' }, 'architecture');
  });
});
