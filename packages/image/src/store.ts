import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ContentStore, GC_REF_PREFIX, GC_ROOT_LABEL, isContentError } from '@berth/content';
import { type Descriptor, DockerImageConfig, type ImageIndex, type ImageManifest } from '@berth/oci-spec';
import { isOverlayError, type Mount, type Snapshotter } from '@berth/overlay';
import { parseManifest, type RegistryClientOptions } from '@berth/registry';
import { indexRefLabels, manifestRefLabels, putBytes } from './blobs.js';
import { ImageError } from './errors.js';
import { Mutex, SharedLock } from './lock.js';
import {
  digestKey,
  FULL_ID,
  familiar,
  isDigestKey,
  parseRef,
  repositoryOf,
  SHORT_ID,
  tagKey,
} from './names.js';
import { type ImagesFile, readImagesFile, type StoredImage, writeImagesFile } from './records.js';
import {
  EXTRACT_LABEL,
  EXTRACT_PREFIX,
  type InFlight,
  SIZE_LABEL,
  type UnpackProgress,
  unpackLayers,
} from './unpack.js';

/** An image as the store knows it. */
export interface ImageRecord {
  /** `sha256:<config digest>`: Docker's image ID. */
  id: string;
  /** Familiar `name:tag` strings (`busybox:latest`). */
  repoTags: string[];
  /** Familiar `name@sha256:…` strings: the manifest (or index) digests the image has in registries. */
  repoDigests: string[];
  /** The image manifest's descriptor (with the image's platform). */
  target: Descriptor;
  /** The image config (Docker's superset of the OCI one), validated. */
  config: DockerImageConfig;
  /** ChainID of the top layer: the committed snapshot containers start from (absent: no layers). */
  chainId: string | undefined;
  /** Uncompressed size of all layers in bytes. */
  size: number;
  /** RFC 3339: the config's `created`, else when the store got the image. */
  created: string;
  /** The index the manifest was picked from, if any. */
  index?: string;
  lastTagTime?: string;
}

export interface ImageStoreOptions {
  /** Directory of the store's own index (`images.json`) and scratch space. */
  root: string;
  content: ContentStore;
  snapshotter: Snapshotter;
  /** How to reach registries (mirrors, insecure registries, credentials). */
  registry?: RegistryClientOptions;
  /** Whether a container uses an image (by id): remove then refuses without `force` (Docker's 409). */
  inUse?: (id: string) => boolean;
}

/** What `register` needs: a manifest whose config and layers are already in the content store. */
export interface RegisterInput {
  manifest: { bytes: Buffer; mediaType?: string };
  /** The index the manifest came from (stored and labelled so GC keeps it with the image). */
  index?: { bytes: Buffer; mediaType?: string };
  /** Stored name keys (normalised tags and repo digests) to point at the image. */
  names?: readonly string[];
  onUnpack?: (event: UnpackProgress) => void;
}

/** What a GC removed: blob digests, snapshot keys, and the layers' uncompressed bytes freed. */
export interface GcResult {
  content: string[];
  snapshots: string[];
  reclaimed: number;
}

/** Docker's image prune answer. */
export interface PruneResult {
  ImagesDeleted: ({ Untagged: string } | { Deleted: string })[];
  SpaceReclaimed: number;
}

export interface PruneOptions {
  /** Also images with tags (Docker's `--all`), not only dangling ones; never images in use. */
  all?: boolean;
  /** Docker's prune filters: `label=<key>[=<value>]`, `label!=…` is not supported. */
  filters?: Record<string, readonly string[]>;
  inUse?: (id: string) => boolean;
}

export type RemoveResult = ({ Untagged: string } | { Deleted: string })[];

export interface RemoveOptions {
  force?: boolean;
  /** Do not garbage-collect content and snapshots nothing references any more. */
  noPrune?: boolean;
  inUse?: (id: string) => boolean;
}

export interface ListOptions {
  /** Docker's filters: `dangling=true|false`, `reference=<glob>`, `label=<key>[=<value>]`. */
  filters?: Record<string, readonly string[]>;
}

const GLOB_SPECIAL = /[.+^${}()|[\]\\]/g;

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(GLOB_SPECIAL, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.')}$`);
}

/**
 * The internal core of the image store: records, names, registration, removal and GC. `ImageStore`
 * (image-store.ts) adds the operations (pull, push, commit, archives) on top of it.
 */
export class ImageStoreCore {
  readonly root: string;
  readonly content: ContentStore;
  readonly snapshotter: Snapshotter;
  readonly registryOptions: RegistryClientOptions;
  /** Held shared while an operation writes blobs no image references yet; GC holds it exclusively. */
  readonly lock = new SharedLock();
  /** Blobs being downloaded by this store, by digest: resolved when the download ends either way. */
  readonly downloads = new Map<string, Promise<void>>();
  readonly #write = new Mutex();
  readonly #path: string;
  /** Layers being unpacked right now, by chainID (shared by every operation of this store). */
  readonly inFlight: InFlight = new Map();
  readonly #configs = new Map<string, DockerImageConfig>();
  readonly #inUse: ((id: string) => boolean) | undefined;
  #data: ImagesFile;

  protected constructor(options: ImageStoreOptions) {
    this.root = resolve(options.root);
    this.content = options.content;
    this.snapshotter = options.snapshotter;
    this.registryOptions = options.registry ?? {};
    this.#inUse = options.inUse;
    mkdirSync(this.root, { recursive: true });
    this.#path = join(this.root, 'images.json');
    this.#data = readImagesFile(this.#path);
    // Scratch space of interrupted loads and imports, and index writes a crash cut short.
    rmSync(this.tmpDir, { recursive: true, force: true });
    for (const name of readdirSync(this.root)) {
      if (name.startsWith('.images.json.') && name.endsWith('.tmp'))
        rmSync(join(this.root, name), { force: true });
    }
    mkdirSync(this.tmpDir, { recursive: true });
  }

  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  // ---- lookup -------------------------------------------------------------------------------

  /** Resolves a name, `name@digest`, full id or unique id prefix to an image id; undefined if none. */
  resolve(nameOrId: string): string | undefined {
    const data = this.#data;
    const full = FULL_ID.exec(nameOrId);
    if (full) {
      const id = `sha256:${full[1]}`;
      if (data.images[id]) return id;
    }
    let ref: ReturnType<typeof parseRef> | undefined;
    if (!full) {
      try {
        ref = parseRef(nameOrId);
      } catch (error) {
        if (!SHORT_ID.test(nameOrId)) throw error;
      }
    }
    if (ref) {
      if (ref.digest !== undefined) {
        const id = data.names[digestKey(ref.name, ref.digest)];
        if (id) return id;
        // A digest the image is known by in another repository, or its manifest digest.
        for (const [id, image] of Object.entries(data.images)) {
          if (image.target.digest === ref.digest || image.index === ref.digest) {
            const names = this.namesOf(id);
            if (names.length === 0 || names.some((n) => repositoryOf(n) === ref.name)) return id;
          }
        }
      } else {
        const id = data.names[`${ref.name}:${ref.tag ?? 'latest'}`];
        if (id) return id;
      }
    }
    const short = SHORT_ID.exec(nameOrId);
    if (short && (!ref || !nameOrId.includes(':') || nameOrId.startsWith('sha256:'))) {
      const matches = Object.keys(data.images).filter((id) => id.slice(7).startsWith(short[1]!));
      if (matches.length > 1) {
        throw new ImageError(
          'CONFLICT',
          `short id ${nameOrId} is ambiguous: ${matches.length} images match`,
          {
            reference: nameOrId,
          },
        );
      }
      return matches[0];
    }
    return undefined;
  }

  /** Like resolve, but NOT_FOUND when nothing matches. */
  mustResolve(nameOrId: string): string {
    const id = this.resolve(nameOrId);
    if (!id) throw new ImageError('NOT_FOUND', `No such image: ${nameOrId}`, { reference: nameOrId });
    return id;
  }

  /** Stored name keys of an image (tags and repo digests), sorted. */
  namesOf(id: string): string[] {
    return Object.entries(this.#data.names)
      .filter(([, target]) => target === id)
      .map(([name]) => name)
      .sort();
  }

  stored(id: string): StoredImage {
    const image = this.#data.images[id];
    if (!image) throw new ImageError('NOT_FOUND', `No such image: ${id}`, { reference: id });
    return image;
  }

  async config(id: string): Promise<DockerImageConfig> {
    const cached = this.#configs.get(id);
    if (cached) return cached;
    const bytes = await this.content.readBlob(id).catch((error: unknown) => {
      throw new ImageError('NOT_FOUND', `the config ${id} of the image is missing from the content store`, {
        digest: id,
        cause: error,
      });
    });
    const config = parseConfig(bytes, id);
    this.#configs.set(id, config);
    return config;
  }

  async record(id: string): Promise<ImageRecord> {
    const image = this.stored(id);
    const config = await this.config(id);
    const names = this.namesOf(id);
    return {
      id,
      repoTags: names.filter((n) => !isDigestKey(n)).map(familiar),
      repoDigests: names.filter(isDigestKey).map(familiar),
      target: image.target,
      config,
      chainId: image.chainId,
      size: image.size,
      created: config.created ?? image.added,
      ...(image.index ? { index: image.index } : {}),
      ...(image.lastTagTime ? { lastTagTime: image.lastTagTime } : {}),
    };
  }

  async get(nameOrId: string): Promise<ImageRecord | undefined> {
    const id = this.resolve(nameOrId);
    return id ? this.record(id) : undefined;
  }

  async list(options: ListOptions = {}): Promise<ImageRecord[]> {
    const filters = options.filters ?? {};
    for (const key of Object.keys(filters)) {
      if (!['dangling', 'reference', 'label', 'before', 'since'].includes(key)) {
        throw new ImageError('INVALID', `invalid filter '${key}'`);
      }
    }
    let records = await Promise.all(Object.keys(this.#data.images).map((id) => this.record(id)));
    const dangling = filters.dangling?.[0];
    if (dangling !== undefined) {
      if (dangling !== 'true' && dangling !== 'false' && dangling !== '1' && dangling !== '0') {
        throw new ImageError('INVALID', `invalid filter 'dangling=${dangling}'`);
      }
      const want = dangling === 'true' || dangling === '1';
      records = records.filter((r) => (r.repoTags.length === 0) === want);
    }
    if (filters.reference?.length) {
      const patterns = filters.reference.map((p) => globToRegExp(p));
      records = records.filter((r) =>
        r.repoTags.some((tag) => {
          const name = tag.slice(0, tag.lastIndexOf(':'));
          return patterns.some((re) => re.test(tag) || re.test(name));
        }),
      );
    }
    for (const label of filters.label ?? []) {
      const eq = label.indexOf('=');
      const key = eq === -1 ? label : label.slice(0, eq);
      const value = eq === -1 ? undefined : label.slice(eq + 1);
      records = records.filter((r) => {
        const labels = r.config.config?.Labels ?? {};
        return key in labels && (value === undefined || labels[key] === value);
      });
    }
    for (const [key, cmp] of [
      ['before', -1],
      ['since', 1],
    ] as const) {
      for (const ref of filters[key] ?? []) {
        const pivot = await this.record(this.mustResolve(ref));
        const t = Date.parse(pivot.created);
        records = records.filter((r) => Math.sign(Date.parse(r.created) - t) === cmp);
      }
    }
    return records.sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || a.id.localeCompare(b.id));
  }

  // ---- names ----------------------------------------------------------------------------------

  /** Points `target` (name[:tag]) at the image `source` names. */
  async tag(source: string, target: string): Promise<void> {
    const key = tagKey(target);
    await this.#write.run(() => {
      const id = this.mustResolve(source);
      this.#mutate((data) => {
        data.names[key] = id;
        data.images[id]!.lastTagTime = new Date().toISOString();
      });
    });
  }

  /** Removes one tag (or repo digest); the image stays, dangling if it was the last name. */
  async untag(name: string): Promise<void> {
    const ref = parseRef(name);
    const key = ref.digest !== undefined ? digestKey(ref.name, ref.digest) : `${ref.name}:${ref.tag}`;
    await this.#write.run(() => {
      if (!this.#data.names[key]) {
        throw new ImageError('NOT_FOUND', `No such image: ${name}`, { reference: name });
      }
      this.#mutate((data) => {
        delete data.names[key];
      });
    });
  }

  /** Points more stored name keys (tags or repo digests) at an image. */
  async addNames(id: string, keys: readonly string[]): Promise<void> {
    await this.#write.run(() =>
      this.#mutate((data) => {
        if (!data.images[id]) throw new ImageError('NOT_FOUND', `No such image: ${id}`, { reference: id });
        for (const key of keys) data.names[key] = id;
      }),
    );
  }

  #mutate(fn: (data: ImagesFile) => void): void {
    const next = structuredClone(this.#data);
    fn(next);
    writeImagesFile(this.#path, next);
    this.#data = next;
  }

  // ---- registration ---------------------------------------------------------------------------

  /**
   * Records an image whose config and layers are in the content store: stores the manifest (and
   * index) with GC labels, unpacks the layers into snapshots, points the names at it. Callers hold
   * `lock` shared around writing the blobs and this call.
   */
  async register(input: RegisterInput): Promise<ImageRecord> {
    const fetched = parseManifestBytes(input.manifest.bytes, input.manifest.mediaType);
    const manifest = fetched.manifest;
    const configDigest = manifest.config.digest;
    if (!(await this.content.exists(configDigest))) {
      throw new ImageError('NOT_FOUND', `config ${configDigest} is not in the content store`, {
        digest: configDigest,
      });
    }
    for (const layer of manifest.layers) {
      if (!(await this.content.exists(layer.digest))) {
        throw new ImageError('NOT_FOUND', `layer ${layer.digest} is not in the content store`, {
          digest: layer.digest,
        });
      }
    }
    const config = await this.config(configDigest);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new ImageError(
        'INVALID',
        `image ${configDigest}: the config lists ${diffIds.length} layers (rootfs.diff_ids), the manifest ${manifest.layers.length}`,
        { digest: configDigest },
      );
    }
    await putBytes(this.content, fetched.bytes, {
      expected: fetched.digest,
      labels: manifestRefLabels(
        configDigest,
        manifest.layers.map((l) => l.digest),
      ),
    });
    let indexDigest: string | undefined;
    if (input.index) {
      const index = parseManifest(input.index.bytes, input.index.mediaType);
      if (index.kind !== 'index') throw new ImageError('INVALID', 'the given index is not an image index');
      indexDigest = index.digest;
      await putBytes(this.content, index.bytes, {
        expected: index.digest,
        labels: indexRefLabels([fetched.digest]),
      });
    }
    const unpacked = await unpackLayers(
      this.content,
      this.snapshotter,
      manifest.layers.map((layer, i) => ({ digest: layer.digest, diffId: diffIds[i]! })),
      this.inFlight,
      input.onUnpack,
    );
    const target: Descriptor = {
      mediaType: fetched.mediaType,
      digest: fetched.digest,
      size: fetched.bytes.length,
      platform: {
        architecture: config.architecture,
        os: config.os,
        ...(config.variant ? { variant: config.variant } : {}),
        ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
      },
    };
    const names = input.names ?? [];
    await this.#write.run(() =>
      this.#mutate((data) => {
        const now = new Date().toISOString();
        const previous = data.images[configDigest];
        data.images[configDigest] = {
          target,
          ...(indexDigest ? { index: indexDigest } : previous?.index ? { index: previous.index } : {}),
          added: previous?.added ?? now,
          size: unpacked.size,
          ...(unpacked.chainId ? { chainId: unpacked.chainId } : {}),
          ...(names.some((n) => !isDigestKey(n))
            ? { lastTagTime: now }
            : previous?.lastTagTime
              ? { lastTagTime: previous.lastTagTime }
              : {}),
        };
        for (const name of names) data.names[name] = configDigest;
      }),
    );
    return this.record(configDigest);
  }

  /** The manifest of an image as stored (bytes and parsed). */
  async manifest(id: string): Promise<{ bytes: Buffer; mediaType: string; manifest: ImageManifest }> {
    const image = this.stored(id);
    const bytes = await this.content.readBlob(image.target.digest);
    const parsed = parseManifestBytes(bytes, image.target.mediaType);
    return { bytes, mediaType: parsed.mediaType, manifest: parsed.manifest as ImageManifest };
  }

  // ---- rootfs ---------------------------------------------------------------------------------

  /**
   * An active snapshot (or a read-only view) named `key` on the image's top layer; returns the
   * mounts. Layers that GC or a crash removed are unpacked again from the content store first.
   */
  async prepareRootfs(nameOrId: string, key: string, options: { readonly?: boolean } = {}): Promise<Mount[]> {
    const id = this.mustResolve(nameOrId);
    const image = this.stored(id);
    let parent = image.chainId;
    if (parent !== undefined && !this.#hasSnapshot(parent)) {
      const { manifest } = await this.manifest(id);
      const config = await this.config(id);
      const unpacked = await this.lock.shared(() =>
        unpackLayers(
          this.content,
          this.snapshotter,
          manifest.layers.map((l, i) => ({ digest: l.digest, diffId: config.rootfs.diff_ids[i]! })),
          this.inFlight,
        ),
      );
      parent = unpacked.chainId;
    }
    return options.readonly ? this.snapshotter.view(key, parent) : this.snapshotter.prepare(key, parent);
  }

  #hasSnapshot(key: string): boolean {
    try {
      return this.snapshotter.stat(key).kind === 'committed';
    } catch (error) {
      if (isOverlayError(error, 'ENOTFOUND')) return false;
      throw error;
    }
  }

  // ---- removal and GC ---------------------------------------------------------------------------

  /**
   * Docker's `rmi`: by name, untags it and deletes the image when no tag is left; by id, deletes the
   * image with all its names (refused without `force` when it is tagged in several repositories).
   * An image a container uses is not deleted without `force` (CONFLICT). Then, unless `noPrune`,
   * collects content and snapshots nothing references any more.
   */
  async remove(nameOrId: string, options: RemoveOptions = {}): Promise<RemoveResult> {
    const result: RemoveResult = [];
    const inUse = options.inUse ?? this.#inUse;
    const deleted = await this.#write.run(() => {
      const id = this.mustResolve(nameOrId);
      const names = this.namesOf(id);
      const nameKey = this.#keyOf(nameOrId);
      const byName = nameKey !== undefined && this.#data.names[nameKey] === id;
      const used = inUse?.(id) ?? false;
      if (byName) {
        const key = nameKey;
        const remainingTags = names.filter((n) => n !== key && !isDigestKey(n));
        // Other tags keep the image: only this name goes. A container keeps it too (with force the
        // names go and the image stays, dangling, as Docker does).
        const drop = remainingTags.length > 0 ? [key] : used ? names : undefined;
        if (used && !options.force && remainingTags.length === 0) {
          throw new ImageError(
            'CONFLICT',
            `conflict: unable to remove repository reference "${nameOrId}" (must force) - a container is using its referenced image ${id.slice(7, 19)}`,
            { reference: nameOrId },
          );
        }
        if (drop) {
          this.#mutate((data) => {
            for (const n of drop) delete data.names[n];
          });
          for (const n of drop) result.push({ Untagged: familiar(n) });
          return undefined;
        }
      } else {
        const repositories = new Set(names.filter((n) => !isDigestKey(n)).map(repositoryOf));
        if (repositories.size > 1 && !options.force) {
          throw new ImageError(
            'CONFLICT',
            `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
            { reference: nameOrId },
          );
        }
      }
      if (used && !options.force) {
        throw new ImageError(
          'CONFLICT',
          `conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is being used by a container`,
          { reference: nameOrId },
        );
      }
      this.#mutate((data) => {
        for (const n of names) delete data.names[n];
        delete data.images[id];
      });
      for (const n of names) result.push({ Untagged: familiar(n) });
      result.push({ Deleted: id });
      this.#configs.delete(id);
      return id;
    });
    if (deleted && !options.noPrune) {
      const collected = await this.gc();
      for (const key of collected.snapshots) if (key.startsWith('sha256:')) result.push({ Deleted: key });
    }
    return result;
  }

  /**
   * Docker's `image prune`: removes dangling images (with `all`, every image no container uses),
   * then collects content and snapshots once.
   */
  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    const inUse = options.inUse ?? this.#inUse;
    const candidates = await this.list({
      filters: {
        ...(options.all ? {} : { dangling: ['true'] }),
        ...(options.filters?.label ? { label: options.filters.label } : {}),
      },
    });
    const deleted: PruneResult['ImagesDeleted'] = [];
    for (const image of candidates) {
      if (inUse?.(image.id)) continue;
      deleted.push(...(await this.remove(image.id, { force: true, noPrune: true, inUse: () => false })));
    }
    const collected = await this.gc();
    for (const key of collected.snapshots) if (key.startsWith('sha256:')) deleted.push({ Deleted: key });
    return { ImagesDeleted: deleted, SpaceReclaimed: collected.reclaimed };
  }

  #keyOf(input: string): string | undefined {
    try {
      const ref = parseRef(input);
      return ref.digest !== undefined
        ? digestKey(ref.name, ref.digest)
        : `${ref.name}:${ref.tag ?? 'latest'}`;
    } catch {
      return undefined;
    }
  }

  /**
   * Deletes those of `digests` no image references (what a failed pull or load had written), so a
   * failure leaves the content store as it was. Takes the GC lock: call it outside `lock.shared`.
   */
  async dropUnreferenced(digests: Iterable<string>): Promise<string[]> {
    const candidates = [...new Set(digests)];
    if (candidates.length === 0) return [];
    return this.lock.exclusive(async () => {
      const keep = await this.#referencedContent();
      const dropped: string[] = [];
      for (const digest of candidates) {
        if (keep.has(digest)) continue;
        try {
          const info = await this.content.info(digest);
          if (GC_ROOT_LABEL in info.labels) continue;
          await this.content.delete(digest);
          dropped.push(digest);
        } catch (error) {
          if (!isContentError(error, 'ENOTFOUND')) throw error;
        }
      }
      return dropped;
    });
  }

  /**
   * Removes the given committed layer snapshots (top first) unless a recorded image or another
   * snapshot still builds on them: what a failed pull had unpacked.
   */
  removeUnusedSnapshots(chains: readonly string[]): void {
    const used = new Set(Object.values(this.#data.images).map((image) => image.chainId));
    for (const chain of chains) {
      if (used.has(chain)) continue;
      try {
        this.snapshotter.remove(chain);
      } catch (error) {
        if (!isOverlayError(error)) throw error;
        // Has children (another pull's or a container's) or is gone: leave it to GC.
      }
    }
  }

  /** Every blob the recorded images reach: their manifests and indexes and what their labels name. */
  async #referencedContent(): Promise<Set<string>> {
    const keep = new Set<string>();
    const queue: string[] = [];
    for (const image of Object.values(this.#data.images)) {
      queue.push(image.target.digest);
      if (image.index) queue.push(image.index);
    }
    while (queue.length > 0) {
      const digest = queue.pop()!;
      if (keep.has(digest)) continue;
      keep.add(digest);
      const info = await this.content.info(digest).catch(() => undefined);
      for (const [label, value] of Object.entries(info?.labels ?? {})) {
        if (label.startsWith(GC_REF_PREFIX)) queue.push(value);
      }
    }
    return keep;
  }

  /**
   * Removes every blob and committed snapshot no image needs (the manifests and indexes of the
   * recorded images are the content roots, their top chainIDs the snapshot roots; labels carry the
   * rest), and extraction snapshots left by dead processes.
   */
  async gc(): Promise<GcResult> {
    return this.lock.exclusive(async () => {
      const contentRoots: string[] = [];
      const snapshotRoots: string[] = [];
      for (const image of Object.values(this.#data.images)) {
        contentRoots.push(image.target.digest);
        if (image.index) contentRoots.push(image.index);
        if (image.chainId) snapshotRoots.push(image.chainId);
      }
      const stale: string[] = [];
      this.snapshotter.walk(
        (info) => stale.push(info.name),
        (info) =>
          info.kind === 'active' &&
          info.name.startsWith(EXTRACT_PREFIX) &&
          !processAlive(Number(info.labels[EXTRACT_LABEL] ?? 0)),
      );
      for (const key of stale) this.snapshotter.remove(key);
      const sizes = new Map<string, number>();
      this.snapshotter.walk((info) => sizes.set(info.name, Number(info.labels[SIZE_LABEL] ?? 0)));
      const snapshots = this.snapshotter.gc({ roots: snapshotRoots }).removed;
      const content = (await this.content.gc({ roots: contentRoots, ingestsOlderThan: 24 * 3600_000 }))
        .removed;
      const reclaimed = snapshots.reduce((sum, key) => sum + (sizes.get(key) ?? 0), 0);
      return { content, snapshots, reclaimed };
    });
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function parseConfig(bytes: Buffer, where: string): DockerImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ImageError('INVALID', `image config ${where} is not JSON`, { digest: where, cause: error });
  }
  const parsed = DockerImageConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImageError(
      'INVALID',
      `image config ${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      { digest: where },
    );
  }
  return parsed.data;
}

export function parseManifestBytes(
  bytes: Buffer,
  mediaType: string | undefined,
): {
  bytes: Buffer;
  digest: string;
  mediaType: string;
  manifest: ImageManifest | import('@berth/oci-spec').DockerManifest;
} {
  let fetched: ReturnType<typeof parseManifest>;
  try {
    fetched = parseManifest(bytes, mediaType);
  } catch (error) {
    throw new ImageError('INVALID', `invalid image manifest: ${(error as Error).message}`, { cause: error });
  }
  if (fetched.kind !== 'manifest') {
    throw new ImageError('INVALID', `expected an image manifest, got an index (${fetched.mediaType})`, {
      digest: fetched.digest,
    });
  }
  return { bytes, digest: fetched.digest, mediaType: fetched.mediaType, manifest: fetched.manifest };
}

export function parseIndexBytes(
  bytes: Buffer,
  mediaType: string | undefined,
): { digest: string; mediaType: string; index: ImageIndex | import('@berth/oci-spec').DockerManifestList } {
  let fetched: ReturnType<typeof parseManifest>;
  try {
    fetched = parseManifest(bytes, mediaType);
  } catch (error) {
    throw new ImageError('INVALID', `invalid image index: ${(error as Error).message}`, { cause: error });
  }
  if (fetched.kind !== 'index') {
    throw new ImageError('INVALID', `expected an image index, got ${fetched.mediaType}`, {
      digest: fetched.digest,
    });
  }
  return { digest: fetched.digest, mediaType: fetched.mediaType, index: fetched.index };
}
