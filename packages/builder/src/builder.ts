// The one object the daemon needs: a builder root, the image store and a runtime root, giving
// build() and the Docker /build JSON stream.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ImageStore } from '@berth/image';
import { unmount } from '@berth/overlay';
import type { ContainerRunner, ImageBackend } from './backend.js';
import { type BuildOptions, type BuildResult, build } from './build.js';
import { BuildCache } from './cache.js';
import { type DockerBuildMessage, dockerBuildMessagesOf, dockerBuildStream } from './events.js';
import { imageStoreBackend } from './image-backend.js';
import { type ApiBuildQuery, buildOptionsFromQuery } from './query.js';
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

  /**
   * POST /build's response body: Docker's JSON lines, ending with an error message on failure
   * (`quiet`: only the final image id, as `docker build -q`).
   */
  dockerBuild(opts: Omit<BuildOptions, 'onProgress'>, stream: { quiet?: boolean } = {}): Readable {
    return dockerBuildStream((onProgress) => this.build({ ...opts, onProgress }), stream);
  }

  /**
   * The daemon's `Backend.build`: POST /build's parsed query and body → Docker's /build messages.
   * Bad queries and failed builds end the stream with an error message, as Docker does.
   */
  apiBuild(req: {
    query: ApiBuildQuery;
    context: Readable;
    signal?: AbortSignal;
  }): AsyncIterable<DockerBuildMessage> {
    return dockerBuildMessagesOf(
      async (onProgress) => {
        const { options } = buildOptionsFromQuery(req.query);
        return this.build({
          ...options,
          context: req.context,
          onProgress,
          ...(req.signal ? { signal: req.signal } : {}),
        });
      },
      { quiet: req.query.q ?? false },
    );
  }

  /**
   * Cleans what a crashed build left under the root: mounts under mnt/, unpacked tar contexts, step
   * bundles, step snapshots never committed. Call once at daemon start, before any build runs.
   */
  async recover(): Promise<{ unmounted: number; removed: number; snapshots: number }> {
    const mnt = join(this.root, 'mnt');
    let unmounted = 0;
    let removed = 0;
    let mountinfo = '';
    try {
      mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    } catch {
      // no /proc: nothing can be mounted either
    }
    const mounted = mountinfo
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((p) => p.startsWith(`${mnt}/`))
      .sort()
      .reverse();
    for (const target of mounted) {
      try {
        unmount(target);
        unmounted++;
      } catch {
        // gone meanwhile
      }
    }
    const snapshots = (await this.images.removeLeftovers?.('berth-build-')) ?? 0;
    if (!existsSync(this.root)) return { unmounted, removed, snapshots };
    for (const name of readdirSync(this.root)) {
      if (
        name === 'mnt' ||
        name.startsWith('berth-build-context-') ||
        name.startsWith('berth-build-bundle-')
      ) {
        rmSync(join(this.root, name), { recursive: true, force: true });
        removed++;
      }
    }
    return { unmounted, removed, snapshots };
  }

  /** Forgets the build cache (`docker builder prune`); returns the number of entries removed. */
  pruneCache(): number {
    return new BuildCache(this.root).clear().length;
  }

  /**
   * POST /build/prune's answer. The cached steps' images stay in the image store (untagged, as
   * Docker's intermediate images); `docker image prune` removes them.
   */
  buildPrune(): { CachesDeleted: string[]; SpaceReclaimed: number } {
    return { CachesDeleted: new BuildCache(this.root).clear(), SpaceReclaimed: 0 };
  }
}
