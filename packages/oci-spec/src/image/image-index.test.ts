import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { ImageIndex } from './image-index.js';

type Doc = Record<string, unknown> & { manifests?: Record<string, unknown>[] };
const example = () => clone(readFixture('spec-examples/oci-index.json')) as Doc;

describe('ImageIndex', () => {
  it("accepts the spec's index example", () => {
    const index = ImageIndex.parse(example());
    expect(index.manifests.map((m) => m.platform?.architecture)).toEqual(['ppc64le', 'amd64']);
  });

  it('rejects a missing manifests list', () => {
    const doc = example();
    delete doc.manifests;
    expectInvalid(ImageIndex, doc, 'manifests');
  });

  it('rejects a platform without os', () => {
    const doc = example();
    doc.manifests![1]!.platform = { architecture: 'amd64' };
    expectInvalid(ImageIndex, doc, 'manifests[1].platform.os');
  });

  it('rejects a non-string annotation value', () => {
    expectInvalid(
      ImageIndex,
      { ...example(), annotations: { 'com.example.key1': 1 } },
      'annotations["com.example.key1"]',
    );
  });
});
