// POST /build's query string (Docker Engine API) → BuildOptions, validated with zod, so the daemon
// maps a request in one call. Parameters berth does not implement are refused by name.
import { z } from 'zod';
import type { BuildOptions } from './build.js';
import { BuildError } from './errors.js';

const Bool = z
  .enum(['1', '0', 'true', 'false', 'True', 'False', ''])
  .transform((v) => v === '1' || v.toLowerCase() === 'true');

const Int = z
  .string()
  .regex(/^-?\d+$/, 'expected an integer')
  .transform((v) => Number(v));

const JsonStringMap = (name: string) =>
  z.string().transform((text, ctx) => {
    if (text === '') return {};
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} is not JSON` });
      return z.NEVER;
    }
    const parsed = z.record(z.string(), z.string().nullable()).safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a JSON object of strings` });
      return z.NEVER;
    }
    return parsed.data;
  });

/** The query parameters of Docker's POST /build that berth reads. */
export const BuildQuery = z.object({
  dockerfile: z.string().optional(),
  t: z.array(z.string()).optional(),
  buildargs: JsonStringMap('buildargs').optional(),
  labels: JsonStringMap('labels').optional(),
  target: z.string().optional(),
  nocache: Bool.optional(),
  pull: Bool.optional(),
  q: Bool.optional(),
  networkmode: z.string().optional(),
  platform: z.string().optional(),
  remote: z.string().optional(),
  version: z.string().optional(),
  memory: Int.optional(),
  memswap: Int.optional(),
  cpushares: Int.optional(),
  cpuquota: Int.optional(),
  cpuperiod: Int.optional(),
  cpusetcpus: z.string().optional(),
  shmsize: Int.optional(),
});
export type BuildQuery = z.infer<typeof BuildQuery>;

export interface ParsedBuildQuery {
  options: Omit<BuildOptions, 'context' | 'onProgress' | 'signal'>;
  /** `q=1`: only the final image id is streamed */
  quiet: boolean;
}

/** Reads POST /build's query (a URLSearchParams or a plain object; `t` may repeat). */
export function parseBuildQuery(
  query: URLSearchParams | Record<string, string | string[] | undefined>,
): ParsedBuildQuery {
  const raw: Record<string, unknown> = {};
  const entries: [string, string][] =
    query instanceof URLSearchParams
      ? [...query.entries()]
      : Object.entries(query).flatMap(([k, v]) =>
          v === undefined
            ? []
            : Array.isArray(v)
              ? v.map((x) => [k, x] as [string, string])
              : [[k, v] as [string, string]],
        );
  for (const [k, v] of entries) {
    if (k === 't') raw.t = [...((raw.t as string[] | undefined) ?? []), v];
    else raw[k] = v;
  }
  const parsed = BuildQuery.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BuildError('EINVALID', `build query ${issue.path.join('.')}: ${issue.message}`);
  }
  const q = parsed.data;
  const labels = Object.fromEntries(
    Object.entries(q.labels ?? {}).filter((e): e is [string, string] => e[1] !== null),
  );
  return buildOptionsFromQuery({ ...q, labels });
}

/**
 * The shape of POST /build's query once the API layer parsed it (@berth/api's BuildQuery is
 * assignable to it): the fields the builder uses.
 */
export interface ApiBuildQuery {
  dockerfile?: string | undefined;
  t?: string[] | undefined;
  q?: boolean | undefined;
  nocache?: boolean | undefined;
  pull?: string | boolean | undefined;
  buildargs?: Record<string, string | null> | undefined;
  labels?: Record<string, string> | undefined;
  networkmode?: string | undefined;
  platform?: string | undefined;
  target?: string | undefined;
  remote?: string | undefined;
  version?: string | undefined;
  memory?: number | undefined;
  memswap?: number | undefined;
  cpushares?: number | undefined;
  cpuquota?: number | undefined;
  cpuperiod?: number | undefined;
  cpusetcpus?: string | undefined;
  shmsize?: number | undefined;
}

/** Build options from an already parsed query (see parseBuildQuery for a raw query string). */
export function buildOptionsFromQuery(q: ApiBuildQuery): ParsedBuildQuery {
  if (q.remote)
    throw new BuildError(
      'EUNSUPPORTED',
      `remote build contexts are not supported by berth (remote=${q.remote})`,
    );
  if (q.version === '2') {
    throw new BuildError(
      'EUNSUPPORTED',
      'BuildKit builds (version=2) are not supported by berth; use the classic builder (DOCKER_BUILDKIT=0)',
    );
  }
  const pull =
    typeof q.pull === 'string' ? q.pull === '1' || q.pull.toLowerCase() === 'true' : (q.pull ?? false);
  const labels = Object.fromEntries(Object.entries(q.labels ?? {}));
  const limits = {
    ...(q.memory ? { memory: q.memory } : {}),
    ...(q.memswap ? { memorySwap: q.memswap } : {}),
    ...(q.cpushares ? { cpuShares: q.cpushares } : {}),
    ...(q.cpuquota ? { cpuQuota: q.cpuquota } : {}),
    ...(q.cpuperiod ? { cpuPeriod: q.cpuperiod } : {}),
    ...(q.cpusetcpus ? { cpusetCpus: q.cpusetcpus } : {}),
    ...(q.shmsize ? { shmSize: q.shmsize } : {}),
  };
  return {
    quiet: q.q ?? false,
    options: {
      ...(q.dockerfile ? { dockerfile: q.dockerfile } : {}),
      ...(q.t && q.t.length > 0 ? { tags: q.t } : {}),
      ...(q.buildargs ? { buildArgs: q.buildargs } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(q.target ? { target: q.target } : {}),
      ...(q.nocache ? { noCache: true } : {}),
      ...(pull ? { pull: true } : {}),
      ...(q.networkmode ? { networkMode: q.networkmode } : {}),
      ...(q.platform ? { platform: q.platform } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    },
  };
}
