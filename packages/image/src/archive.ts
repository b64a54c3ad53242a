import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  open,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  blobPath,
  type Descriptor,
  digestOf,
  hostPlatform,
  IMAGE_LAYOUT_FILE,
  IMAGE_LAYOUT_INDEX_FILE,
  IMAGE_LAYOUT_VERSION,
  ImageLayout,
  MediaTypes,
  type PlatformSpec,
  parseReference,
  selectPlatform,
} from '@berth/oci-spec';
import { decompress, detectCompression } from '@berth/overlay';
import * as tar from 'tar-stream';
import { z } from 'zod';
import { putStream } from './blobs.js';
import { ImageError } from './errors.js';
import { familiar, tagKey } from './names.js';
import {
  type ImageRecord,
  type ImageStoreCore,
  parseConfig,
  parseIndexBytes,
  parseManifestBytes,
} from './store.js';

/** containerd's and Docker's annotation for the full image name in an OCI layout's index.json. */
export const IMAGE_NAME_ANNOTATION = 'io.containerd.image.name';
/** The OCI annotation skopeo, umoci and Docker read as the tag (`oci:dir:<tag>`). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** One image of a Docker archive's manifest.json. */
const DockerArchiveEntry = z.object({
  Config: z.string(),
  RepoTags: z.array(z.string()).nullable().optional(),
  Layers: z.array(z.string()),
});
const DockerArchiveManifest = z.array(DockerArchiveEntry);

export interface LoadResult {
  /** What was loaded: each image's id and the familiar names pointed at it. */
  images: { id: string; names: string[] }[];
}

export interface LoadOciLayoutOptions {
  /**
   * Repository to name images whose index entry has only a tag (`org.opencontainers.image.ref.name:
   * v1`, as skopeo writes): they become `<name>:<tag>`. Without it they load untagged.
   */
  name?: string;
  /** Platform to take from multi-platform entries (default the host's). */
  platform?: PlatformSpec;
}

/** One image to export, with the names it is exported under. */
interface ExportItem {
  record: ImageRecord;
  manifest: Buffer;
  /** Stored name keys (tags) given by the caller; empty when exported by id. */
  tags: string[];
}

async function exportItems(core: ImageStoreCore, names: readonly string[]): Promise<ExportItem[]> {
  const items = new Map<string, ExportItem>();
  for (const name of names) {
    const id = core.mustResolve(name);
    let item = items.get(id);
    if (!item) {
      const record = await core.record(id);
      item = { record, manifest: (await core.manifest(id)).bytes, tags: [] };
      items.set(id, item);
    }
    // A name (not an id) exports as that tag; `docker save <id>` keeps no names.
    const key = tagKeyIfName(name);
    if (key !== undefined && core.resolve(key) === id && !item.tags.includes(key)) item.tags.push(key);
  }
  return [...items.values()];
}

function tagKeyIfName(input: string): string | undefined {
  if (/^(sha256:)?[0-9a-f]{6,64}$/.test(input)) return undefined;
  try {
    const ref = parseReference(input);
    return ref.digest === undefined ? `${ref.name}:${ref.tag ?? 'latest'}` : undefined;
  } catch {
    return undefined;
  }
}

/** Blobs of the items, each once: manifests, configs, layers. */
async function blobsOf(core: ImageStoreCore, items: readonly ExportItem[]): Promise<Descriptor[]> {
  const out = new Map<string, Descriptor>();
  for (const item of items) {
    const parsed = parseManifestBytes(item.manifest, item.record.target.mediaType);
    out.set(item.record.target.digest, item.record.target);
    out.set(parsed.manifest.config.digest, parsed.manifest.config);
    for (const layer of parsed.manifest.layers) out.set(layer.digest, layer);
  }
  for (const digest of out.keys()) {
    if (!(await core.content.exists(digest))) {
      throw new ImageError('NOT_FOUND', `blob ${digest} is missing from the content store`, { digest });
    }
  }
  return [...out.values()];
}

/** index.json: one entry per (image, tag), annotated as Docker 25 and containerd do. */
function layoutIndex(items: readonly ExportItem[]): Buffer {
  const manifests: Descriptor[] = [];
  for (const item of items) {
    const { mediaType, digest, size, platform } = item.record.target;
    const base: Descriptor = { mediaType, digest, size, ...(platform ? { platform } : {}) };
    if (item.tags.length === 0) manifests.push(base);
    for (const key of item.tags) {
      const ref = parseReference(key);
      manifests.push({
        ...base,
        annotations: { [IMAGE_NAME_ANNOTATION]: ref.toString(), [REF_NAME_ANNOTATION]: ref.tag ?? 'latest' },
      });
    }
  }
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociImageIndex, manifests }));
}

const LAYOUT_FILE = Buffer.from(JSON.stringify({ imageLayoutVersion: IMAGE_LAYOUT_VERSION }));

/** Docker's manifest.json and repositories for a `docker save` archive. */
function dockerArchiveFiles(items: readonly ExportItem[]): { manifest: Buffer; repositories: Buffer } {
  const entries = items.map((item) => {
    const parsed = parseManifestBytes(item.manifest, item.record.target.mediaType);
    return {
      Config: blobPath(parsed.manifest.config.digest),
      RepoTags: item.tags.map(familiar),
      Layers: parsed.manifest.layers.map((l) => blobPath(l.digest)),
    };
  });
  const repositories: Record<string, Record<string, string>> = {};
  for (const item of items) {
    const top = item.record.config.rootfs.diff_ids.at(-1);
    for (const key of item.tags) {
      const ref = parseReference(key);
      const name = familiar(`${ref.name}:x`).replace(/:x$/, '');
      repositories[name] ??= {};
      repositories[name][ref.tag ?? 'latest'] = (top ?? item.record.id).slice(7);
    }
  }
  return {
    manifest: Buffer.from(JSON.stringify(entries)),
    repositories: Buffer.from(JSON.stringify(repositories)),
  };
}

/** Streams a tar of an OCI layout (plus Docker's files when `docker` is set) into `output`. */
async function writeLayoutTar(
  core: ImageStoreCore,
  items: readonly ExportItem[],
  output: Writable,
  docker: boolean,
): Promise<void> {
  const blobs = await blobsOf(core, items);
  const pack = tar.pack();
  const done = pipeline(pack, output);
  const mtime = new Date(0);
  const addBuffer = (name: string, data: Buffer) =>
    new Promise<void>((resolveEntry, reject) => {
      pack.entry({ name, mode: 0o644, mtime }, data, (error) => (error ? reject(error) : resolveEntry()));
    });
  try {
    await addBuffer(IMAGE_LAYOUT_FILE, LAYOUT_FILE);
    pack.entry({ name: 'blobs/', type: 'directory', mode: 0o755, mtime });
    const algorithms = new Set(blobs.map((b) => b.digest.split(':')[0]!));
    for (const algorithm of algorithms)
      pack.entry({ name: `blobs/${algorithm}/`, type: 'directory', mode: 0o755, mtime });
    for (const blob of blobs) {
      await new Promise<void>((resolveEntry, reject) => {
        const entry = pack.entry(
          { name: blobPath(blob.digest), size: blob.size, mode: 0o644, mtime },
          (error) => (error ? reject(error) : resolveEntry()),
        );
        pipeline(core.content.reader(blob.digest), entry).catch(reject);
      });
    }
    await addBuffer(IMAGE_LAYOUT_INDEX_FILE, layoutIndex(items));
    if (docker) {
      const files = dockerArchiveFiles(items);
      await addBuffer('manifest.json', files.manifest);
      await addBuffer('repositories', files.repositories);
    }
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    throw error;
  } finally {
    await done;
  }
}

/**
 * `docker save`: a tar that is both a Docker archive (manifest.json, repositories) and an OCI
 * layout (oci-layout, index.json, blobs/), as Docker 25+ writes it. Layers stay as stored (gzip).
 */
export async function saveImages(
  core: ImageStoreCore,
  names: readonly string[],
  output: Writable,
): Promise<void> {
  if (names.length === 0) throw new ImageError('INVALID', 'save needs at least one image name or id');
  const items = await exportItems(core, names);
  await writeLayoutTar(core, items, output, true);
}

/** An OCI image layout of images (by name or id) as a directory (created if missing) or a tar stream. */
export async function exportOciLayout(
  core: ImageStoreCore,
  names: string | readonly string[],
  destination: string | Writable,
): Promise<void> {
  const items = await exportItems(core, typeof names === 'string' ? [names] : names);
  if (typeof destination !== 'string') {
    await writeLayoutTar(core, items, destination, false);
    return;
  }
  const blobs = await blobsOf(core, items);
  for (const blob of blobs) {
    const target = join(destination, blobPath(blob.digest));
    await mkdir(dirname(target), { recursive: true });
    const exists = await lstat(target).catch(() => undefined);
    if (!exists) await copyFile(core.content.blobPath(blob.digest), target);
  }
  await writeFile(join(destination, IMAGE_LAYOUT_FILE), LAYOUT_FILE);
  // index.json merges with an existing layout's: other images in it stay.
  const indexPath = join(destination, IMAGE_LAYOUT_INDEX_FILE);
  const fresh = JSON.parse(layoutIndex(items).toString()) as { manifests: Descriptor[] };
  const existing = await readFile(indexPath, 'utf8').then(
    (text) => parseIndexBytes(Buffer.from(text), MediaTypes.ociImageIndex).index.manifests as Descriptor[],
    () => [] as Descriptor[],
  );
  const refName = (d: Descriptor) => d.annotations?.[REF_NAME_ANNOTATION];
  const kept = existing.filter(
    (d) => !fresh.manifests.some((f) => refName(f) !== undefined && refName(f) === refName(d)),
  );
  const temp = `${indexPath}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(
    temp,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociImageIndex,
      manifests: [...kept, ...fresh.manifests],
    }),
  );
  await rename(temp, indexPath);
}

/** Safe path of a tar entry inside `root`, or undefined for the root itself. */
function entryPath(root: string, name: string): string | undefined {
  const clean = name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return undefined;
  const target = resolve(root, clean);
  if (name.startsWith('/') || !target.startsWith(root + sep)) {
    throw new ImageError('INVALID', `archive entry "${name}" points outside the archive`, { path: name });
  }
  return target;
}

/** Unpacks an archive (plain, gzip or zstd tar) into `dir`: regular files, dirs and in-archive symlinks only. */
async function extractArchive(source: Readable | AsyncIterable<Uint8Array>, dir: string): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline(Readable.from(decompress(source)), extract);
  try {
    for await (const entry of extract) {
      const { name, type, linkname } = entry.header;
      const path = entryPath(dir, name);
      if (path === undefined || type === 'directory') {
        if (path) await mkdir(path, { recursive: true });
        entry.resume();
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      if (type === 'file' || type === 'contiguous-file') {
        await pipeline(entry, createWriteStream(path, { mode: 0o600 }));
      } else if (type === 'symlink' && linkname) {
        // Docker's legacy archives link repeated layers: ../<id>/layer.tar. Kept only if it stays inside.
        if (!resolve(dirname(path), linkname).startsWith(dir + sep)) {
          throw new ImageError('INVALID', `archive entry "${name}" links outside the archive`, {
            path: name,
          });
        }
        await symlink(linkname, path);
        entry.resume();
      } else if (type === 'link' && linkname) {
        const from = entryPath(dir, linkname);
        if (from) await copyFile(from, path);
        entry.resume();
      } else {
        entry.resume();
      }
    }
  } catch (error) {
    extract.destroy(error as Error);
    await feeding.catch(() => {});
    if (error instanceof ImageError) throw error;
    throw new ImageError('INVALID', `not a valid tar archive: ${(error as Error).message}`, { cause: error });
  }
  await feeding.catch((error: unknown) => {
    throw new ImageError('INVALID', `not a valid tar archive: ${(error as Error).message}`, { cause: error });
  });
}

/** A file of an extracted archive, refusing paths (and symlinks) that lead outside it. */
async function archiveFile(root: string, name: string): Promise<{ path: string; st: Stats }> {
  const path = entryPath(root, name);
  if (!path) throw new ImageError('INVALID', `archive path "${name}" is empty`);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new ImageError('INVALID', `the archive has no file ${name}`, { path: name });
  }
  const realRoot = await realpath(root);
  if (!real.startsWith(realRoot + sep)) {
    throw new ImageError('INVALID', `archive path "${name}" leads outside the archive`, { path: name });
  }
  const st = await lstat(real);
  if (!st.isFile()) throw new ImageError('INVALID', `archive path "${name}" is not a file`, { path: name });
  return { path: real, st };
}

async function readJson<T>(root: string, name: string, schema: z.ZodType<T>): Promise<T> {
  const { path } = await archiveFile(root, name);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ImageError('INVALID', `${name} is not JSON`, { path: name, cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImageError('INVALID', `${name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      path: name,
    });
  }
  return parsed.data;
}

/** Copies a layout's blob into the content store, verifying its digest and size. */
async function ingestLayoutBlob(
  core: ImageStoreCore,
  root: string,
  descriptor: { digest: string; size: number },
  written: Set<string>,
): Promise<void> {
  if (await core.content.exists(descriptor.digest)) return;
  const { path } = await archiveFile(root, blobPath(descriptor.digest));
  try {
    await putStream(core.content, createReadStream(path), descriptor);
  } catch (error) {
    throw new ImageError(
      'INVALID',
      `blob ${descriptor.digest} of the layout does not match its digest or size`,
      {
        digest: descriptor.digest,
        cause: error,
      },
    );
  }
  written.add(descriptor.digest);
}

/** Loads every image of an OCI layout directory (blobs verified). */
async function loadLayoutDir(
  core: ImageStoreCore,
  root: string,
  options: LoadOciLayoutOptions,
  written: Set<string>,
): Promise<LoadResult> {
  await readJson(root, IMAGE_LAYOUT_FILE, ImageLayout);
  const { path: indexPath } = await archiveFile(root, IMAGE_LAYOUT_INDEX_FILE);
  const top = parseIndexBytes(await readFile(indexPath), MediaTypes.ociImageIndex);
  const loaded = new Map<string, Set<string>>();
  for (const entry of top.index.manifests as Descriptor[]) {
    const names = namesOfEntry(entry, options.name);
    let manifestDescriptor: Descriptor = entry;
    let index: { bytes: Buffer; mediaType: string } | undefined;
    if (entry.mediaType === MediaTypes.ociImageIndex || entry.mediaType === MediaTypes.dockerManifestList) {
      const bytes = await readBlobFile(root, entry);
      const nested = parseIndexBytes(bytes, entry.mediaType);
      const chosen = selectPlatform(
        nested.index.manifests as Descriptor[],
        options.platform ?? hostPlatform(),
      );
      if (!chosen) {
        throw new ImageError(
          'NOT_FOUND',
          `index ${entry.digest} of the layout has no manifest for this platform`,
          {
            digest: entry.digest,
          },
        );
      }
      index = { bytes, mediaType: entry.mediaType };
      manifestDescriptor = chosen;
    }
    const manifestBytes = await readBlobFile(root, manifestDescriptor);
    const parsed = parseManifestBytes(manifestBytes, manifestDescriptor.mediaType);
    await ingestLayoutBlob(core, root, parsed.manifest.config, written);
    for (const layer of parsed.manifest.layers) await ingestLayoutBlob(core, root, layer, written);
    written.add(parsed.digest);
    if (index) {
      written.add(entry.digest);
      if (!(await core.content.exists(entry.digest)))
        await putStream(core.content, Readable.from([index.bytes]), {
          digest: entry.digest,
          size: index.bytes.length,
        });
    }
    const record = await core.register({
      manifest: { bytes: manifestBytes, mediaType: parsed.mediaType },
      ...(index ? { index } : {}),
      names,
    });
    const set = loaded.get(record.id) ?? new Set<string>();
    for (const name of names) set.add(familiar(name));
    loaded.set(record.id, set);
  }
  return { images: [...loaded].map(([id, names]) => ({ id, names: [...names] })) };
}

async function readBlobFile(root: string, descriptor: Descriptor): Promise<Buffer> {
  const { path } = await archiveFile(root, blobPath(descriptor.digest));
  const bytes = await readFile(path);
  if (bytes.length !== descriptor.size || digestOf(bytes) !== descriptor.digest) {
    throw new ImageError(
      'INVALID',
      `blob ${descriptor.digest} of the layout does not match its digest or size`,
      {
        digest: descriptor.digest,
      },
    );
  }
  return bytes;
}

/** Names for an index.json entry: the full name annotation, else `<name>:<ref.name>`, else a full ref.name. */
function namesOfEntry(entry: Descriptor, name: string | undefined): string[] {
  const full = entry.annotations?.[IMAGE_NAME_ANNOTATION];
  if (full) return [tagKey(full)];
  const refName = entry.annotations?.[REF_NAME_ANNOTATION];
  if (!refName) return [];
  if (name !== undefined && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(refName))
    return [tagKey(`${name}:${refName}`)];
  if (refName.includes('/') || refName.includes(':')) {
    try {
      return [tagKey(refName)];
    } catch {
      return [];
    }
  }
  return [];
}

const LAYER_TYPES = {
  none: MediaTypes.ociLayer,
  gzip: MediaTypes.ociLayerGzip,
  zstd: MediaTypes.ociLayerZstd,
} as const;

/** Loads a Docker archive directory by its manifest.json (legacy `<id>/layer.tar` or Docker 25 blobs). */
async function loadDockerDir(core: ImageStoreCore, root: string, written: Set<string>): Promise<LoadResult> {
  const entries = await readJson(root, 'manifest.json', DockerArchiveManifest);
  const images: LoadResult['images'] = [];
  for (const entry of entries) {
    const configFile = await archiveFile(root, entry.Config);
    const configBytes = await readFile(configFile.path);
    const config = parseConfig(configBytes, entry.Config);
    const configBlob = await putStream(core.content, Readable.from([configBytes]));
    written.add(configBlob.digest);
    const layers: Descriptor[] = [];
    for (const layerName of entry.Layers) {
      const file = await archiveFile(root, layerName);
      const head = Buffer.alloc(4);
      const fh = await open(file.path, 'r');
      try {
        await fh.read(head, 0, 4, 0);
      } finally {
        await fh.close();
      }
      const blob = await putStream(core.content, createReadStream(file.path));
      written.add(blob.digest);
      layers.push({ mediaType: LAYER_TYPES[detectCompression(head)], digest: blob.digest, size: blob.size });
    }
    const names = (entry.RepoTags ?? []).map((tag) => tagKey(tag));
    // The config as given keeps the image id (its digest); the manifest is new (Docker keeps none).
    const record = await writeImageWithConfig(
      core,
      configBytes,
      config.rootfs.diff_ids.length,
      layers,
      names,
    );
    images.push({ id: record.id, names: names.map(familiar) });
  }
  return { images };
}

async function writeImageWithConfig(
  core: ImageStoreCore,
  configBytes: Buffer,
  diffIdCount: number,
  layers: Descriptor[],
  names: string[],
): Promise<ImageRecord> {
  if (diffIdCount !== layers.length) {
    throw new ImageError('INVALID', `the config lists ${diffIdCount} layers, manifest.json ${layers.length}`);
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    config: { mediaType: MediaTypes.ociImageConfig, digest: digestOf(configBytes), size: configBytes.length },
    layers,
  };
  return core.register({
    manifest: { bytes: Buffer.from(JSON.stringify(manifest)), mediaType: MediaTypes.ociImageManifest },
    names,
  });
}

/** Runs `fn` on a fresh scratch dir (removed afterwards); blobs `fn` wrote are dropped if it fails. */
async function withScratch<T>(
  core: ImageStoreCore,
  fn: (dir: string, written: Set<string>) => Promise<T>,
): Promise<T> {
  const dir = resolve(core.tmpDir, `load-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  const written = new Set<string>();
  try {
    return await core.lock.shared(() => fn(dir, written));
  } catch (error) {
    await core.dropUnreferenced(written).catch(() => {});
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function isFile(path: string): Promise<boolean> {
  return lstat(path).then(
    (st) => st.isFile(),
    () => false,
  );
}

/** `docker load`: a Docker archive or an OCI layout tar (plain or compressed). */
export async function loadArchive(
  core: ImageStoreCore,
  source: Readable | AsyncIterable<Uint8Array>,
): Promise<LoadResult> {
  return withScratch(core, async (dir, written) => {
    await extractArchive(source, dir);
    if (await isFile(join(dir, 'manifest.json'))) return loadDockerDir(core, dir, written);
    if (await isFile(join(dir, IMAGE_LAYOUT_INDEX_FILE))) return loadLayoutDir(core, dir, {}, written);
    throw new ImageError(
      'INVALID',
      'the archive has neither manifest.json (Docker) nor index.json (OCI layout)',
    );
  });
}

/** Loads the images of an OCI image layout: a directory path or a tar stream of one. */
export async function loadOciLayout(
  core: ImageStoreCore,
  source: string | Readable | AsyncIterable<Uint8Array>,
  options: LoadOciLayoutOptions = {},
): Promise<LoadResult> {
  if (typeof source === 'string') {
    const root = resolve(source);
    const written = new Set<string>();
    try {
      return await core.lock.shared(() => loadLayoutDir(core, root, options, written));
    } catch (error) {
      await core.dropUnreferenced(written).catch(() => {});
      throw error;
    }
  }
  return withScratch(core, async (dir, written) => {
    await extractArchive(source, dir);
    return loadLayoutDir(core, dir, options, written);
  });
}
