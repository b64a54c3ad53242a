// ImageBackend over @berth/image's ImageStore: the daemon's wiring. After a commit, the step's
// active snapshot becomes the new image's top layer snapshot directly (named by its chainID, as the
// store's unpacker would name it), so the next step does not unpack the layer it just diffed.
import { dockerPullMessage, ImageError, type ImageStore } from '@berth/image';
import { parsePlatform } from '@berth/oci-spec';
import { isOverlayError, withLabels } from '@berth/overlay';
import type { BuildImage, CommitRequest, ImageBackend } from './backend.js';
import { BuildError } from './errors.js';

/** The store's label for a layer snapshot's uncompressed size (packages/image/src/unpack.ts). */
const SIZE_LABEL = 'berth.io/image.layer.size';

export function imageStoreBackend(store: ImageStore): ImageBackend {
  const snapshotter = store.snapshotter;
  const hasSnapshot = (key: string): boolean => {
    try {
      snapshotter.stat(key);
      return true;
    } catch (err) {
      if (isOverlayError(err, 'ENOTFOUND')) return false;
      throw err;
    }
  };
  const remove = async (key: string): Promise<void> => {
    try {
      snapshotter.remove(key);
    } catch (err) {
      if (!isOverlayError(err, 'ENOTFOUND')) throw err;
    }
  };
  const toBuild = (r: { id: string; config: BuildImage['config'] }): BuildImage => ({
    id: r.id,
    config: r.config,
  });
  return {
    async get(ref) {
      try {
        const r = await store.get(ref);
        return r ? toBuild(r) : undefined;
      } catch (err) {
        if (err instanceof ImageError && (err.code === 'NOT_FOUND' || err.code === 'INVALID'))
          return undefined;
        throw err;
      }
    },
    async pull(ref, opts) {
      // Docker's lines around a pull: "latest: Pulling from library/busybox", the layers, "Status: …"
      const slash = ref.lastIndexOf('/');
      const colon = ref.lastIndexOf(':');
      const at = ref.indexOf('@');
      const [repo, tag] =
        at >= 0
          ? [ref.slice(0, at), ref.slice(at + 1)]
          : colon > slash
            ? [ref.slice(0, colon), ref.slice(colon + 1)]
            : [ref, 'latest'];
      opts.onProgress?.({ id: tag, status: `Pulling from ${repo}` });
      try {
        const r = await store.pull(ref, {
          ...(opts.platform ? { platform: parsePlatform(opts.platform) } : {}),
          onProgress: (event) => {
            const m = dockerPullMessage(event);
            if (m) opts.onProgress?.(m);
          },
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        opts.onProgress?.({ status: `Status: Downloaded newer image for ${ref}` });
        return toBuild(r);
      } catch (err) {
        if (err instanceof BuildError) throw err;
        throw new BuildError(
          'ENOTFOUND',
          `pull access denied or image not found: ${ref}: ${(err as Error).message}`,
        );
      }
    },
    async prepare(key, image) {
      return image === undefined ? snapshotter.prepare(key) : store.prepareRootfs(image, key);
    },
    async view(key, image) {
      return image === undefined
        ? snapshotter.view(key)
        : store.prepareRootfs(image, key, { readonly: true });
    },
    remove,
    async commit(req: CommitRequest) {
      const parentSize = req.parent ? ((await store.get(req.parent))?.size ?? 0) : 0;
      const record = await store.commit({
        ...(req.parent ? { parent: req.parent } : {}),
        ...(req.snapshotKey && !req.history.emptyLayer ? { snapshotKey: req.snapshotKey } : {}),
        config: req.config,
        history: req.history,
        ...(req.author ? { author: req.author } : {}),
      });
      if (req.snapshotKey) {
        let kept = false;
        if (!req.history.emptyLayer && record.chainId && !hasSnapshot(record.chainId)) {
          try {
            snapshotter.commit(
              record.chainId,
              req.snapshotKey,
              withLabels({ [SIZE_LABEL]: String(Math.max(0, record.size - parentSize)) }),
            );
            kept = true;
          } catch (err) {
            // someone unpacked the same layer meanwhile: theirs is as good as ours
            if (!isOverlayError(err, 'EALREADYEXISTS')) throw err;
          }
        }
        if (!kept) await remove(req.snapshotKey);
      }
      return toBuild(record);
    },
    async tag(id, ref) {
      await store.tag(id, ref);
    },
    async removeLeftovers(prefix) {
      const keys: string[] = [];
      snapshotter.walk(
        (info) => keys.push(info.name),
        (info) => info.kind !== 'committed' && info.name.startsWith(prefix),
      );
      for (const key of keys) await remove(key);
      return keys.length;
    },
  };
}
