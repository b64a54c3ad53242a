import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { DockerManifest, DockerManifestList } from './manifest.js';

describe('DockerManifest', () => {
  it('accepts the schema 2 example', () => {
    expect(DockerManifest.parse(readFixture('spec-examples/docker-manifest.json')).layers).toHaveLength(3);
  });

  it('requires the Docker media type', () => {
    const doc = clone(readFixture('spec-examples/docker-manifest.json')) as Record<string, unknown>;
    delete doc.mediaType;
    expectInvalid(DockerManifest, doc, 'mediaType');
  });

  it('names the layer with a bad size', () => {
    const doc = clone(readFixture('spec-examples/docker-manifest.json')) as { layers: { size: unknown }[] };
    doc.layers[2]!.size = '73109';
    expectInvalid(DockerManifest, doc, 'layers[2].size', /expected number/);
  });
});

describe('DockerManifestList', () => {
  it('accepts the manifest list example, including platform features', () => {
    const list = DockerManifestList.parse(readFixture('spec-examples/docker-manifest-list.json'));
    expect(list.manifests[1]?.platform.features).toEqual(['sse4']);
  });

  it('requires a platform on every entry', () => {
    const doc = clone(readFixture('spec-examples/docker-manifest-list.json')) as {
      manifests: Record<string, unknown>[];
    };
    delete doc.manifests[0]!.platform;
    expectInvalid(DockerManifestList, doc, 'manifests[0].platform');
  });
});
