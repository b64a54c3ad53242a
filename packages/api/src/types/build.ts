import { z } from 'zod';
import { Int, StringMap } from './common.js';
import { QueryBool, QueryInt, QueryList, queryJson } from './query.js';

/** Query of POST /build (the body is the context tar, maybe compressed). */
export const BuildQuery = z.object({
  dockerfile: z.string().optional(),
  t: QueryList,
  extrahosts: z.string().optional(),
  remote: z.string().optional(),
  q: QueryBool,
  nocache: QueryBool,
  cachefrom: queryJson(z.array(z.string())).optional(),
  pull: z.string().optional(),
  rm: z
    .string()
    .optional()
    .transform((v) => v === undefined || QueryBool.parse(v)),
  forcerm: QueryBool,
  memory: QueryInt.optional(),
  memswap: QueryInt.optional(),
  cpushares: QueryInt.optional(),
  cpusetcpus: z.string().optional(),
  cpuperiod: QueryInt.optional(),
  cpuquota: QueryInt.optional(),
  buildargs: queryJson(z.record(z.string(), z.string().nullable())).optional(),
  shmsize: QueryInt.optional(),
  squash: QueryBool,
  labels: queryJson(StringMap).optional(),
  networkmode: z.string().optional(),
  platform: z.string().optional(),
  target: z.string().optional(),
  outputs: z.string().optional(),
  version: z.enum(['1', '2']).optional(),
});
export type BuildQuery = z.infer<typeof BuildQuery>;

export const BuildPruneQuery = z.object({
  'keep-storage': QueryInt.optional(),
  'reserved-space': QueryInt.optional(),
  'max-used-space': QueryInt.optional(),
  'min-free-space': QueryInt.optional(),
  all: QueryBool,
});
export type BuildPruneQuery = z.infer<typeof BuildPruneQuery>;

export interface BuildPruneResponse {
  CachesDeleted: string[];
  SpaceReclaimed: number;
}

export const BuildCacheSize = Int;
