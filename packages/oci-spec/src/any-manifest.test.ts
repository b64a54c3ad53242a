import { describe, expect, it } from 'vitest';
import { isIndexKind, parseManifest } from './any-manifest.js';
import { SpecValidationError } from './errors.js';
import { MediaTypes } from './image/media-types.js';
import { readFixture } from './test-support/fixtures.js';

describe('parseManifest', () => {
  it('tells the four document kinds apart by their mediaType', () => {
    expect(parseManifest(readFixture('spec-examples/oci-manifest.json')).kind).toBe('oci-manifest');
    expect(parseManifest(readFixture('spec-examples/oci-index.json')).kind).toBe('oci-index');
    expect(parseManifest(readFixture('spec-examples/docker-manifest.json')).kind).toBe('docker-manifest');
    const list = parseManifest(readFixture('spec-examples/docker-manifest-list.json'));
    expect(list.kind).toBe('docker-manifest-list');
    expect(isIndexKind(list)).toBe(true);
  });

  it('uses the Content-Type (with parameters) when the document has no mediaType', () => {
    const doc = readFixture('spec-examples/oci-layout-index.json');
    expect(parseManifest(doc, `${MediaTypes.ociImageIndex}; charset=utf-8`).kind).toBe('oci-index');
  });

  it('infers OCI kinds from the shape when nothing names a type', () => {
    expect(parseManifest(readFixture('spec-examples/oci-layout-index.json')).kind).toBe('oci-index');
  });

  it('refuses a document that contradicts its Content-Type, schema 1, and unknown types', () => {
    const doc = readFixture('spec-examples/docker-manifest.json');
    expect(() => parseManifest(doc, MediaTypes.ociImageManifest)).toThrow(/Content-Type/);
    expect(() => parseManifest({ schemaVersion: 1, mediaType: MediaTypes.dockerManifestV1Signed })).toThrow(
      /schema 1/,
    );
    expect(() => parseManifest({ mediaType: 'text/html' })).toThrow(SpecValidationError);
  });

  it('names the path of a bad field', () => {
    const doc = readFixture('spec-examples/docker-manifest-list.json') as { manifests: { size: unknown }[] };
    doc.manifests[0]!.size = -5;
    expect(() => parseManifest(doc)).toThrow(/^manifest list: manifests\[0\]\.size: /);
  });
});
