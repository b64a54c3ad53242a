// Helpers for this package's tests (not exported from index.ts, not part of the build).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { type Descriptor, digestOf, MediaTypes, type Platform } from '@berth/oci-spec';

export function sha256(data: Uint8Array): string {
  return digestOf(data);
}

/** Collects what is written; remembers an abort (destroy with an error) and drops the bytes then. */
export class MemorySink extends Writable {
  chunks: Buffer[] = [];
  aborted: Error | undefined;
  completed = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.completed = true;
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) {
      this.aborted = error;
      this.chunks = [];
    }
    callback(error);
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface TestImage {
  platform: Platform;
  config: { descriptor: Descriptor; bytes: Buffer };
  layers: { descriptor: Descriptor; bytes: Buffer }[];
  manifest: { bytes: Buffer; mediaType: string; digest: string; descriptor: Descriptor };
  /** Every blob by digest. */
  blobs: Map<string, Buffer>;
}

function descriptorOf(mediaType: string, bytes: Buffer, platform?: Platform): Descriptor {
  return { mediaType, digest: sha256(bytes), size: bytes.length, ...(platform ? { platform } : {}) };
}

let busyboxLayer: Buffer | undefined;

/** A gzipped tar of the busybox fixture rootfs (~1 MiB): big enough to cut a download midway. */
export function busyboxLayerTarGz(): Buffer {
  if (busyboxLayer) return busyboxLayer;
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-rootfs-'));
  try {
    makeBusyboxRootfs(join(dir, 'rootfs'));
    const tar = execFileSync('tar', ['-C', join(dir, 'rootfs'), '--numeric-owner', '-cf', '-', '.'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    busyboxLayer = gzipSync(tar);
    return busyboxLayer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A gzipped tar of a few small files with random content (so every image is distinct). */
export function smallLayerTarGz(label: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-layer-'));
  try {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/berth-label'), `${label}\n`);
    writeFileSync(join(dir, 'random.bin'), randomBytes(4096));
    const tar = execFileSync('tar', ['-C', dir, '--numeric-owner', '-cf', '-', '.']);
    return gzipSync(tar);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An OCI image: busybox layer + a small layer + config, for `platform`. */
export function makeTestImage(
  platform: Platform,
  label = randomBytes(4).toString('hex'),
  layers = [busyboxLayerTarGz(), smallLayerTarGz(label)],
  flavour: 'oci' | 'docker' = 'oci',
): TestImage {
  const types =
    flavour === 'oci'
      ? {
          layer: MediaTypes.ociLayerGzip,
          config: MediaTypes.ociImageConfig,
          manifest: MediaTypes.ociImageManifest,
        }
      : {
          layer: MediaTypes.dockerLayerGzip,
          config: MediaTypes.dockerImageConfig,
          manifest: MediaTypes.dockerManifest,
        };
  const layerEntries = layers.map((bytes) => ({
    bytes,
    descriptor: descriptorOf(types.layer, bytes),
  }));
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: { Cmd: ['/bin/sh'], Labels: { 'berth.test': label } },
      rootfs: {
        type: 'layers',
        diff_ids: layers.map((l) =>
          sha256(execFileSync('gzip', ['-dc'], { input: l, maxBuffer: 64 * 1024 * 1024 })),
        ),
      },
    }),
  );
  const configDescriptor = descriptorOf(types.config, config);
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: configDescriptor,
      layers: layerEntries.map((l) => l.descriptor),
    }),
  );
  const blobs = new Map<string, Buffer>([[configDescriptor.digest, config]]);
  for (const layer of layerEntries) blobs.set(layer.descriptor.digest, layer.bytes);
  return {
    platform,
    config: { descriptor: configDescriptor, bytes: config },
    layers: layerEntries,
    manifest: {
      bytes: manifestBytes,
      mediaType: types.manifest,
      digest: sha256(manifestBytes),
      descriptor: descriptorOf(types.manifest, manifestBytes, platform),
    },
    blobs,
  };
}

/** An OCI index (or Docker manifest list) of the given images' manifests. */
export function makeIndex(
  images: TestImage[],
  flavour: 'oci' | 'docker' = 'oci',
): { bytes: Buffer; mediaType: string; digest: string } {
  const mediaType = flavour === 'oci' ? MediaTypes.ociImageIndex : MediaTypes.dockerManifestList;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map((image) => image.manifest.descriptor),
    }),
  );
  return { bytes, mediaType, digest: sha256(bytes) };
}
