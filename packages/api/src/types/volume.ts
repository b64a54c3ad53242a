import { z } from 'zod';
import { StringMap } from './common.js';

/** Body of POST /volumes/create. */
export const VolumeCreate = z.object({
  Name: z.string().optional(),
  Driver: z.string().optional(),
  DriverOpts: StringMap.optional(),
  Labels: StringMap.optional(),
});
export type VolumeCreate = z.infer<typeof VolumeCreate>;

export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Status?: Record<string, unknown>;
  Labels: Record<string, string>;
  Scope: 'local' | 'global';
  Options: Record<string, string> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}

export interface VolumeListResponse {
  Volumes: Volume[];
  Warnings: string[];
}

export interface VolumePruneResponse {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}
