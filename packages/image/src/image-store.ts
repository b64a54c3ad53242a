import type { Readable, Writable } from 'node:stream';
import type { Mount } from '@berth/overlay';
import {
  exportOciLayout,
  type LoadOciLayoutOptions,
  type LoadResult,
  loadArchive,
  loadOciLayout,
  saveImages,
} from './archive.js';
import {
  type CommitOptions,
  type CreateImageOptions,
  commitImage,
  createImage,
  type ImportOptions,
  importRootfs,
} from './build.js';
import { directoryTar } from './dir-tar.js';
import { type HistoryItem, type ImageInspect, imageHistory, imageInspect } from './inspect.js';
import { type ImageRecord, ImageStoreCore, type ImageStoreOptions } from './store.js';
import {
  type PullOptions,
  type PushImageResult,
  type PushOptions,
  pullImage,
  pushImage,
} from './transfer.js';

/**
 * berth's image store (Docker's image service on containerd's content store and snapshotter):
 * images by id (the config digest), names, pull/push, unpacked layers as committed snapshots named
 * by chainID, commit, import, Docker archives and OCI layouts, and GC.
 */
export class ImageStore extends ImageStoreCore {
  static async open(options: ImageStoreOptions): Promise<ImageStore> {
    return new ImageStore(options);
  }

  pull(reference: string, options: PullOptions = {}): Promise<ImageRecord> {
    return pullImage(this, reference, options);
  }

  push(reference: string, options: PushOptions = {}): Promise<PushImageResult> {
    return pushImage(this, reference, options);
  }

  async inspect(nameOrId: string): Promise<ImageInspect> {
    return imageInspect(await this.record(this.mustResolve(nameOrId)), this.snapshotter);
  }

  async history(nameOrId: string): Promise<HistoryItem[]> {
    return imageHistory(await this.record(this.mustResolve(nameOrId)), this.snapshotter);
  }

  commit(options: CommitOptions): Promise<ImageRecord> {
    return commitImage(this, options);
  }

  createImage(options: CreateImageOptions): Promise<ImageRecord> {
    return createImage(this, options);
  }

  /**
   * `docker import`: a root filesystem as a one-layer image, from a tar stream (plain, gzip or zstd)
   * or a directory path (archived on the fly: owners, modes, links and devices kept, no xattrs).
   */
  async importRootfs(
    source: string | Readable | AsyncIterable<Uint8Array>,
    options: ImportOptions = {},
  ): Promise<ImageRecord> {
    return importRootfs(this, typeof source === 'string' ? directoryTar(source) : source, options);
  }

  override prepareRootfs(
    nameOrId: string,
    key: string,
    options: { readonly?: boolean } = {},
  ): Promise<Mount[]> {
    return super.prepareRootfs(nameOrId, key, options);
  }

  /** `docker save`: a Docker archive (manifest.json, repositories) that is also an OCI layout, into `output`. */
  save(names: readonly string[], output: Writable): Promise<void> {
    return saveImages(this, names, output);
  }

  /** `docker load`: a Docker archive (legacy or Docker 25+) or an OCI layout tar, plain or compressed. */
  load(source: Readable | AsyncIterable<Uint8Array>): Promise<LoadResult> {
    return loadArchive(this, source);
  }

  /** Writes an OCI image layout: into a directory (merged with one already there) or as a tar stream. */
  exportOciLayout(names: string | readonly string[], destination: string | Writable): Promise<void> {
    return exportOciLayout(this, names, destination);
  }

  /** Loads the images of an OCI image layout directory or tar stream. */
  loadOciLayout(
    source: string | Readable | AsyncIterable<Uint8Array>,
    options: LoadOciLayoutOptions = {},
  ): Promise<LoadResult> {
    return loadOciLayout(this, source, options);
  }
}
