import { isOverlayError, type Snapshotter } from '@berth/overlay';
import { chainIds } from './chain.js';
import type { ImageRecord } from './store.js';
import { SIZE_LABEL } from './unpack.js';

/** Docker's ImageInspect (Engine API 1.50), as far as an image store knows it. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime?: string };
  /** The manifest descriptor (API 1.48+). */
  Descriptor: { mediaType: string; digest: string; size: number };
}

/** One row of `docker history`, newest first. */
export interface HistoryItem {
  /** The image id on the newest row, `<missing>` on the others (as Docker shows pulled images). */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** Docker's inspect document for a record; layer directories from the snapshotter when it has them. */
export function imageInspect(record: ImageRecord, snapshotter: Snapshotter): ImageInspect {
  const { config } = record;
  let graph: ImageInspect['GraphDriver'] = { Name: snapshotter.name, Data: null };
  if (record.chainId !== undefined) {
    try {
      const layout = snapshotter.layout(record.chainId);
      graph = {
        Name: snapshotter.name,
        Data: {
          UpperDir: layout.dir,
          ...(layout.parents.length > 0 ? { LowerDir: layout.parents.join(':') } : {}),
        },
      };
    } catch (error) {
      if (!isOverlayError(error)) throw error;
    }
  }
  return {
    Id: record.id,
    RepoTags: record.repoTags,
    RepoDigests: record.repoDigests,
    Parent: config.parent ?? '',
    Comment: config.comment ?? config.history?.at(-1)?.comment ?? '',
    Created: record.created,
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: { ...(config.config ?? {}) },
    Architecture: config.architecture,
    ...(config.variant ? { Variant: config.variant } : {}),
    Os: config.os,
    ...(config['os.version'] ? { OsVersion: config['os.version'] } : {}),
    Size: record.size,
    GraphDriver: graph,
    RootFS: { Type: config.rootfs.type, Layers: [...config.rootfs.diff_ids] },
    Metadata: record.lastTagTime ? { LastTagTime: record.lastTagTime } : {},
    Descriptor: {
      mediaType: record.target.mediaType,
      digest: record.target.digest,
      size: record.target.size,
    },
  };
}

/**
 * `docker history`: the config's history, newest first, each non-empty entry with the size of its
 * layer (from the layer snapshot). Without history, one row per layer.
 */
export function imageHistory(record: ImageRecord, snapshotter: Snapshotter): HistoryItem[] {
  const diffIds = record.config.rootfs.diff_ids;
  const chains = chainIds(diffIds);
  const layerSize = (i: number): number => {
    const chain = chains[i];
    if (chain === undefined) return 0;
    try {
      return Number(snapshotter.stat(chain).labels[SIZE_LABEL] ?? 0);
    } catch {
      return 0;
    }
  };
  const entries =
    record.config.history && record.config.history.length > 0
      ? record.config.history
      : diffIds.map(
          () => ({}) as { created?: string; created_by?: string; comment?: string; empty_layer?: boolean },
        );
  const items: HistoryItem[] = [];
  let layer = 0;
  for (const entry of entries) {
    const empty = entry.empty_layer === true;
    items.push({
      Id: '<missing>',
      Created: Math.floor(Date.parse(entry.created ?? record.created) / 1000) || 0,
      CreatedBy: entry.created_by ?? '',
      Tags: null,
      Size: empty ? 0 : layerSize(layer),
      Comment: entry.comment ?? '',
    });
    if (!empty) layer++;
  }
  items.reverse();
  if (items[0]) {
    items[0].Id = record.id;
    items[0].Tags = record.repoTags.length > 0 ? record.repoTags : null;
  }
  return items;
}
