import { MediaTypes } from '@berth/oci-spec';
import { describe, expect, it } from 'vitest';
import { DigestMismatchError } from './errors.js';
import { MANIFEST_MEDIA_TYPES, parseManifest } from './manifests.js';
import { selectManifest } from './platform.js';
import { sha256 } from './test-support.js';

const blob = (n: number) => ({
  mediaType: MediaTypes.ociLayerGzip,
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: n,
});

describe('parseManifest', () => {
  it('asks for OCI and Docker schema2 types, never schema1', () => {
    expect(MANIFEST_MEDIA_TYPES).toEqual([
      MediaTypes.ociImageIndex,
      MediaTypes.ociImageManifest,
      MediaTypes.dockerManifestList,
      MediaTypes.dockerManifest,
    ]);
  });

  it('refuses Docker schema1 with EUNSUPPORTEDMANIFEST, by content type or by schemaVersion', () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'v1', fsLayers: [] }));
    for (const contentType of [MediaTypes.dockerManifestV1Signed, 'application/json', undefined]) {
      expect(() => parseManifest(schema1, contentType)).toThrow(
        expect.objectContaining({
          code: 'EUNSUPPORTEDMANIFEST',
          message: expect.stringContaining('schema1'),
        }),
      );
    }
  });

  it('checks the bytes against the expected digest', () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, config: blob(1), layers: [] }));
    expect(parseManifest(bytes, MediaTypes.ociImageManifest, { expectedDigest: sha256(bytes) }).digest).toBe(
      sha256(bytes),
    );
    expect(() =>
      parseManifest(bytes, MediaTypes.ociImageManifest, { expectedDigest: sha256(Buffer.from('x')) }),
    ).toThrow(DigestMismatchError);
  });

  it('tells an index from a manifest when the body has no mediaType and the header is vague', () => {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    expect(parseManifest(index, 'application/octet-stream').kind).toBe('index');
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: blob(1), layers: [blob(2)] }));
    expect(parseManifest(manifest, undefined)).toMatchObject({
      kind: 'manifest',
      mediaType: MediaTypes.ociImageManifest,
    });
  });

  it('names the JSON path of an invalid manifest', () => {
    const bad = Buffer.from(
      JSON.stringify({ schemaVersion: 2, config: { ...blob(1), size: -1 }, layers: [] }),
    );
    expect(() => parseManifest(bad, MediaTypes.ociImageManifest)).toThrow(
      expect.objectContaining({ code: 'EINVALID', message: expect.stringContaining('config.size') }),
    );
  });

  it('refuses unknown manifest media types', () => {
    const odd = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.example+json' }));
    expect(() => parseManifest(odd, undefined)).toThrow(
      expect.objectContaining({ code: 'EUNSUPPORTEDMANIFEST' }),
    );
  });
});

describe('selectManifest', () => {
  const entry = (architecture: string, variant?: string) => ({
    ...blob(3),
    mediaType: MediaTypes.ociImageManifest,
    digest: sha256(Buffer.from(architecture + (variant ?? ''))),
    platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
  });

  it('picks the best entry for os/architecture/variant and skips entries without a platform', () => {
    const index = {
      schemaVersion: 2 as const,
      manifests: [
        { ...blob(4), mediaType: MediaTypes.ociImageManifest },
        entry('arm', 'v6'),
        entry('arm', 'v7'),
        entry('amd64'),
      ],
    };
    expect(selectManifest(index, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest).toBe(
      index.manifests[2]!.digest,
    );
    expect(selectManifest(index, { os: 'linux', architecture: 'amd64' }).digest).toBe(
      index.manifests[3]!.digest,
    );
    expect(() => selectManifest(index, { os: 'windows', architecture: 'amd64' })).toThrow(
      expect.objectContaining({
        code: 'ENOMATCHINGPLATFORM',
        message: expect.stringContaining('linux/arm/v6'),
      }),
    );
  });
});
