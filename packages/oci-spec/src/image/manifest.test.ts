import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { ImageManifest } from './manifest.js';

type Doc = Record<string, unknown> & { config?: Record<string, unknown>; layers: Record<string, unknown>[] };
const example = () => clone(readFixture('spec-examples/oci-manifest.json')) as Doc;

describe('ImageManifest', () => {
  it("accepts the spec's manifest example", () => {
    const m = ImageManifest.parse(example());
    expect(m.layers).toHaveLength(3);
    expect(m.subject?.size).toBe(7682);
  });

  it("accepts the spec's artifact example (empty descriptor with inline data)", () => {
    const m = ImageManifest.parse(readFixture('spec-examples/oci-artifact-manifest.json'));
    expect(m.config.data).toBe('e30=');
    expect(m.artifactType).toBe('application/vnd.example+type');
  });

  it('accepts an image without layers (the text says SHOULD, not MUST)', () => {
    expect(ImageManifest.safeParse({ ...example(), layers: [] }).success).toBe(true);
  });

  it('rejects schemaVersion 1', () => {
    expectInvalid(ImageManifest, { ...example(), schemaVersion: 1 }, 'schemaVersion');
  });

  it('rejects a Docker media type in an OCI manifest', () => {
    expectInvalid(
      ImageManifest,
      { ...example(), mediaType: 'application/vnd.docker.distribution.manifest.v2+json' },
      'mediaType',
    );
  });

  it('names the layer whose digest is malformed', () => {
    const doc = example();
    doc.layers[1]!.digest = 'sha256:3c3a4604';
    expectInvalid(ImageManifest, doc, 'layers[1].digest', /64 lowercase hex/);
  });

  it('rejects a missing config and a negative size', () => {
    const doc = example();
    delete doc.config;
    expectInvalid(ImageManifest, doc, 'config', /required/);
    const doc2 = example();
    doc2.layers[0]!.size = -1;
    expectInvalid(ImageManifest, doc2, 'layers[0].size');
  });

  it('rejects a malformed media type', () => {
    const doc = example();
    doc.config!.mediaType = 'not a media type';
    expectInvalid(ImageManifest, doc, 'config.mediaType');
  });
});
