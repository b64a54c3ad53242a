// The one object the daemon needs: a builder root, the image store and a runtime root, giving
// build() and the Docker /build JSON stream.
import type { Readable } from 'node:stream';
import type { ImageStore } from '@berth/image';
import type { ContainerRunner, ImageBackend } from './backend.js';
import { type BuildOptions, type BuildResult, build } from './build.js';
import { BuildCache } from './cache.js';
import { dockerBuildStream } from './events.js';
import { imageStoreBackend } from './image-backend.js';
import { runtimeRunner } from './runner.js';

export interface BuilderOptions {
  /** the image store (or any ImageBackend) */
  images: ImageStore | ImageBackend;
  /** builder root: cache/, mnt/ and unpacked contexts (daemon: <data-root>/builder) */
  root: string;
  /** @berth/runtime state root for RUN containers (daemon: <exec-root>/runtime); ignored with `runner` */
  runtimeRoot?: string;
  /** cgroup parent for RUN containers */
  cgroupParent?: string;
  /** runs RUN steps (default: @berth/runtime in this process) */
  runner?: ContainerRunner;
}

function isImageStore(images: ImageStore | ImageBackend): images is ImageStore {
  return 'prepareRootfs' in images;
}

export class Builder {
  readonly images: ImageBackend;
  readonly runner: ContainerRunner;
  readonly root: string;

  constructor(opts: BuilderOptions) {
    this.images = isImageStore(opts.images) ? imageStoreBackend(opts.images) : opts.images;
    this.root = opts.root;
    if (opts.runner) this.runner = opts.runner;
    else {
      if (!opts.runtimeRoot) throw new TypeError('Builder needs runtimeRoot (or a runner)');
      this.runner = runtimeRunner({
        root: opts.runtimeRoot,
        bundleDir: opts.root,
        ...(opts.cgroupParent ? { cgroupParent: opts.cgroupParent } : {}),
      });
    }
  }

  build(opts: BuildOptions): Promise<BuildResult> {
    return build(opts, { images: this.images, runner: this.runner, root: this.root });
  }

  /** POST /build's response body: Docker's JSON lines, ending with an error message on failure. */
  dockerBuild(opts: Omit<BuildOptions, 'onProgress'>): Readable {
    return dockerBuildStream((onProgress) => this.build({ ...opts, onProgress }));
  }

  /** Forgets the build cache (`docker builder prune`); returns the number of entries removed. */
  pruneCache(): number {
    return new BuildCache(this.root).clear();
  }
}
