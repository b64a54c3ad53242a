import { describe, expect, it } from 'vitest';
import { SpecValidationError } from '../errors.js';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { readFixture } from '../test-support/fixtures.js';
import { blobPath, ImageLayout, ImageLayoutIndex } from './layout.js';

describe('image layout', () => {
  it("accepts the spec's oci-layout and index.json examples", () => {
    expect(ImageLayout.parse(readFixture('spec-examples/oci-layout.json'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const index = ImageLayoutIndex.parse(readFixture('spec-examples/oci-layout-index.json'));
    expect(index.manifests[1]?.annotations?.['org.opencontainers.image.ref.name']).toBe('v1.0');
  });

  it('rejects another layout version', () => {
    expectInvalid(ImageLayout, { imageLayoutVersion: '2.0.0' }, 'imageLayoutVersion');
    expectInvalid(ImageLayout, {}, 'imageLayoutVersion');
  });

  it('maps a digest to blobs/<alg>/<encoded>', () => {
    const d = 'sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f';
    expect(blobPath(d)).toBe('blobs/sha256/e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f');
  });

  it('refuses to build a blob path from a digest that could escape the layout', () => {
    expect(() => blobPath('sha256:../../etc/passwd')).toThrow(SpecValidationError);
  });
});
