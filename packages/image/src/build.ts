import { createHash, randomBytes } from 'node:crypto';
import { isContentError } from '@berth/content';
import {
  type Descriptor,
  type DockerContainerConfig,
  type DockerImageConfig,
  hostPlatform,
  type ImageHistory,
  type ImageManifest,
  MediaTypes,
  type PlatformSpec,
} from '@berth/oci-spec';
import { compress, decompress, diffSnapshot, isOverlayError, withLabels } from '@berth/overlay';
import { putBytes, putStream } from './blobs.js';
import { topChainId } from './chain.js';
import { applyChanges } from './changes.js';
import { ImageError } from './errors.js';
import { tagKey } from './names.js';
import type { ImageRecord, ImageStoreCore } from './store.js';
import { SIZE_LABEL } from './unpack.js';

/** A layer the caller already has in the content store. */
export interface LayerInput {
  /** The layer blob (compressed or not) as it is in the content store. */
  descriptor: Descriptor;
}

export interface CreateImageOptions {
  /** The full image config; `rootfs.diff_ids` must list one DiffID per layer. */
  config: DockerImageConfig;
  layers: readonly LayerInput[];
  tags?: readonly string[];
}

export interface CommitOptions {
  /** Image the changes are on (name or id); none for an image from scratch. */
  parent?: string;
  /** The active snapshot (prepared on the parent's top layer) holding the changes. Not needed with emptyLayer. */
  snapshotKey?: string;
  /** Fields of the container config (Cmd, Env, Labels, …) replacing the parent's. */
  config?: Partial<DockerContainerConfig>;
  /** Dockerfile-style changes applied after `config` (`docker commit --change`). */
  changes?: readonly string[];
  history: { createdBy: string; comment?: string; author?: string; emptyLayer?: boolean };
  tags?: readonly string[];
  /** Image author (config.author). */
  author?: string;
  /** Fixed creation time (reproducible builds); default now. */
  created?: Date;
  /**
   * Make the active snapshot itself the new layer's committed snapshot (named by its chainID) instead
   * of unpacking the layer blob again: for builders, whose next step starts from it. `snapshotKey` no
   * longer exists afterwards. Only when the snapshot sits on the parent's top layer.
   */
  reuseSnapshot?: boolean;
}

export interface ImportOptions {
  /** Tag for the new image (`busybox:latest`). */
  ref?: string;
  /** Dockerfile-style changes (`CMD ["sh"]`, `ENV A=b`). */
  changes?: readonly string[];
  /** History comment (Docker: `Imported from -`). */
  message?: string;
  /** Platform to record (default the host's). */
  platform?: PlatformSpec;
}

/** Docker layer types in an OCI manifest would mix the two specs: the OCI names of the same thing. */
const TO_OCI_LAYER: Record<string, string> = {
  [MediaTypes.dockerLayerGzip]: MediaTypes.ociLayerGzip,
  'application/vnd.docker.image.rootfs.diff.tar': MediaTypes.ociLayer,
};

function ociLayer(descriptor: Descriptor): Descriptor {
  const { mediaType, digest, size } = descriptor;
  return {
    mediaType: TO_OCI_LAYER[mediaType] ?? mediaType,
    digest,
    size,
    ...(descriptor.annotations ? { annotations: descriptor.annotations } : {}),
  };
}

/**
 * Writes a config and an OCI manifest for layers already in the content store and registers the
 * image. Callers hold `core.lock` shared (the layer blobs are unreferenced until this returns).
 */
export async function writeImage(
  core: ImageStoreCore,
  config: DockerImageConfig,
  layers: readonly Descriptor[],
  names: readonly string[],
): Promise<ImageRecord> {
  if (config.rootfs.diff_ids.length !== layers.length) {
    throw new ImageError(
      'INVALID',
      `the config lists ${config.rootfs.diff_ids.length} DiffIDs (rootfs.diff_ids) for ${layers.length} layers`,
    );
  }
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = await putBytes(core.content, configBytes);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    config: { mediaType: MediaTypes.ociImageConfig, digest: configDigest, size: configBytes.length },
    layers: layers.map(ociLayer),
  };
  return core.register({
    manifest: { bytes: Buffer.from(JSON.stringify(manifest)), mediaType: MediaTypes.ociImageManifest },
    names,
  });
}

/** An image from a config and layer blobs the caller put into the content store. */
export async function createImage(core: ImageStoreCore, options: CreateImageOptions): Promise<ImageRecord> {
  const names = (options.tags ?? []).map(tagKey);
  return core.lock.shared(() =>
    writeImage(
      core,
      options.config,
      options.layers.map((l) => l.descriptor),
      names,
    ),
  );
}

/**
 * A new image from a parent and the changes in an active snapshot: the snapshot's diff becomes a
 * gzip layer (reproducible: sorted entries, no user names), the parent's config gets the new DiffID,
 * history entry and config fields. With `history.emptyLayer` only the history and config change.
 */
export async function commitImage(core: ImageStoreCore, options: CommitOptions): Promise<ImageRecord> {
  const names = (options.tags ?? []).map(tagKey);
  const created = (options.created ?? new Date()).toISOString();
  return core.lock.shared(async () => {
    let base: DockerImageConfig;
    let layers: Descriptor[] = [];
    if (options.parent !== undefined) {
      const id = core.mustResolve(options.parent);
      base = structuredClone(await core.config(id));
      layers = (await core.manifest(id)).manifest.layers.map((l) => ({ ...l }));
    } else {
      const platform = hostPlatform();
      base = {
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        rootfs: { type: 'layers', diff_ids: [] },
      };
    }
    const history: ImageHistory = {
      created,
      created_by: options.history.createdBy,
      ...(options.history.comment ? { comment: options.history.comment } : {}),
      ...(options.history.author ? { author: options.history.author } : {}),
      ...(options.history.emptyLayer ? { empty_layer: true } : {}),
    };
    const diffIds = [...base.rootfs.diff_ids];
    if (!options.history.emptyLayer) {
      if (options.snapshotKey === undefined) {
        throw new ImageError('INVALID', 'commit needs a snapshotKey (the active snapshot with the changes)');
      }
      const layer = await diffToContent(core, options.snapshotKey);
      const parentChain = topChainId(diffIds);
      layers.push(layer.descriptor);
      diffIds.push(layer.diffId);
      if (options.reuseSnapshot)
        adoptSnapshot(core, options.snapshotKey, parentChain, topChainId(diffIds)!, layer.uncompressedSize);
    }
    let containerConfig: DockerContainerConfig = { ...(base.config ?? {}), ...(options.config ?? {}) };
    if (options.changes?.length) containerConfig = applyChanges(containerConfig, options.changes);
    const {
      id: _id,
      parent: _parent,
      container: _container,
      container_config: _containerConfig,
      ...rest
    } = base;
    const config: DockerImageConfig = {
      ...rest,
      created,
      ...(options.author !== undefined ? { author: options.author } : {}),
      config: containerConfig,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [...(base.history ?? []), history],
    };
    return writeImage(core, config, layers, names);
  });
}

/**
 * Commits the active snapshot `key` as the layer snapshot `chain` (the unpacker then finds it and
 * skips the layer); when that layer is already unpacked, or the snapshot is not on `parent`, the
 * active snapshot is just removed and the unpacker does its usual work.
 */
function adoptSnapshot(
  core: ImageStoreCore,
  key: string,
  parent: string | undefined,
  chain: string,
  size: number,
): void {
  const info = core.snapshotter.stat(key);
  let exists = false;
  try {
    exists = core.snapshotter.stat(chain).kind === 'committed';
  } catch (error) {
    if (!isOverlayError(error, 'ENOTFOUND')) throw error;
  }
  if (exists || info.kind !== 'active' || info.parent !== parent) {
    core.snapshotter.remove(key);
    return;
  }
  core.snapshotter.commit(chain, key, withLabels({ [SIZE_LABEL]: String(size) }));
}

/** The diff of an active snapshot as a gzip layer blob in the content store. */
async function diffToContent(
  core: ImageStoreCore,
  key: string,
): Promise<{ descriptor: Descriptor; diffId: string; uncompressedSize: number }> {
  const ref = `berth-image-commit-${randomBytes(8).toString('hex')}`;
  const writer = await core.content.writer({ ref });
  try {
    const result = await diffSnapshot(core.snapshotter, key, (chunk) => writer.write(chunk), {
      compression: 'gzip',
    });
    let digest: string;
    try {
      digest = await writer.commit();
    } catch (error) {
      if (!(isContentError(error, 'EALREADYEXISTS') && error.digest)) throw error;
      digest = error.digest;
    }
    return {
      descriptor: { mediaType: result.mediaType, digest, size: result.size },
      diffId: result.diffId,
      uncompressedSize: result.uncompressedSize,
    };
  } catch (error) {
    await writer.close();
    await core.content.abort(ref).catch(() => {});
    throw error;
  }
}

/**
 * `docker import`: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image. The layer
 * is stored gzip-compressed; its DiffID is the hash of the tar as given (decompressed).
 */
export async function importRootfs(
  core: ImageStoreCore,
  source: AsyncIterable<Uint8Array>,
  options: ImportOptions = {},
): Promise<ImageRecord> {
  const names = options.ref !== undefined ? [tagKey(options.ref)] : [];
  const containerConfig = applyChanges({}, options.changes ?? []);
  return core.lock.shared(async () => {
    const diffHash = createHash('sha256');
    let tarBytes = 0;
    async function* plain(): AsyncGenerator<Buffer> {
      for await (const chunk of decompress(source)) {
        diffHash.update(chunk);
        tarBytes += chunk.length;
        yield chunk;
      }
    }
    const blob = await putStream(core.content, compress(plain(), 'gzip'));
    if (tarBytes === 0) throw new ImageError('INVALID', 'the imported tar is empty');
    const diffId = `sha256:${diffHash.digest('hex')}`;
    const platform = options.platform ?? hostPlatform();
    const created = new Date().toISOString();
    const config: DockerImageConfig = {
      created,
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: containerConfig,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created, comment: options.message ?? 'Imported from -' }],
    };
    return writeImage(
      core,
      config,
      [{ mediaType: MediaTypes.ociLayerGzip, digest: blob.digest, size: blob.size }],
      names,
    );
  });
}
