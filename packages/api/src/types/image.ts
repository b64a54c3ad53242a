import { z } from 'zod';
import { ContainerConfig } from './container.js';
import { QueryBool, QueryFilters, QueryList } from './query.js';

/** Query of POST /images/create: pull (fromImage) or import (fromSrc, body = tar when fromSrc is "-"). */
export const ImageCreateQuery = z.object({
  fromImage: z.string().optional(),
  fromSrc: z.string().optional(),
  repo: z.string().optional(),
  tag: z.string().optional(),
  message: z.string().optional(),
  changes: QueryList,
  platform: z.string().optional(),
});
export type ImageCreateQuery = z.infer<typeof ImageCreateQuery>;

export const ImageListQuery = z.object({
  all: QueryBool,
  filters: QueryFilters,
  'shared-size': QueryBool,
  digests: QueryBool,
  manifests: QueryBool,
});
export type ImageListQuery = z.infer<typeof ImageListQuery>;

/** Body of POST /commit (a container Config, every field optional). */
export const CommitConfig = ContainerConfig;
export type CommitConfig = z.infer<typeof CommitConfig>;

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Record<string, string>;
  Containers: number;
  Manifests?: unknown[];
  Descriptor?: unknown;
}

/** GET /images/{name}/json. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion?: string;
  Author: string;
  Config: ContainerConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  VirtualSize?: number;
  GraphDriver: { Name: string; Data: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime?: string };
  Descriptor?: unknown;
}

export interface ImageHistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export type ImageDeleteResponseItem = { Untagged: string } | { Deleted: string };

export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteResponseItem[];
  SpaceReclaimed: number;
}

export interface ImageSearchResult {
  description: string;
  is_official: boolean;
  is_automated: boolean;
  name: string;
  star_count: number;
}

export interface IdResponse {
  Id: string;
}
