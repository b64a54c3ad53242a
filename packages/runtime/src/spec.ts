// config.json: validated against the whole OCI runtime spec with @berth/oci-spec's RuntimeSpec
// (errors name the JSON path), then read through the runtime's own view below: the parts it
// carries out, with its defaults (user 0:0). Unknown fields pass through untouched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeSpec as OciRuntimeSpec, parseOrThrow, SpecValidationError } from '@berth/oci-spec';
import { z } from 'zod';
import { RuntimeError, specError } from './errors.js';

const Hook = z.object({
  path: z.string().startsWith('/'),
  args: z.array(z.string()).optional(),
  env: z.array(z.string()).optional(),
  timeout: z.number().int().positive().optional(),
});
export type Hook = z.infer<typeof Hook>;

const IdMapping = z.object({
  containerID: z.number().int().min(0),
  hostID: z.number().int().min(0),
  size: z.number().int().positive(),
});

export const Mount = z.looseObject({
  destination: z.string().min(1),
  type: z.string().optional(),
  source: z.string().optional(),
  options: z.array(z.string()).optional(),
  uidMappings: z.array(IdMapping).optional(),
  gidMappings: z.array(IdMapping).optional(),
});
export type Mount = z.infer<typeof Mount>;

export const Process = z.looseObject({
  terminal: z.boolean().optional(),
  consoleSize: z.object({ height: z.number().int(), width: z.number().int() }).optional(),
  user: z
    .looseObject({
      uid: z.number().int().min(0),
      gid: z.number().int().min(0),
      umask: z.number().int().min(0).optional(),
      additionalGids: z.array(z.number().int().min(0)).optional(),
    })
    .default({ uid: 0, gid: 0 }),
  args: z.array(z.string()).min(1),
  env: z.array(z.string()).optional(),
  cwd: z.string().startsWith('/'),
  capabilities: z
    .object({
      bounding: z.array(z.string()).optional(),
      effective: z.array(z.string()).optional(),
      inheritable: z.array(z.string()).optional(),
      permitted: z.array(z.string()).optional(),
      ambient: z.array(z.string()).optional(),
    })
    .optional(),
  rlimits: z
    .array(
      z.object({
        type: z.string(),
        hard: z.union([z.number().int().min(0), z.bigint()]),
        soft: z.union([z.number().int().min(0), z.bigint()]),
      }),
    )
    .optional(),
  noNewPrivileges: z.boolean().optional(),
  apparmorProfile: z.string().optional(),
  selinuxLabel: z.string().optional(),
  oomScoreAdj: z.number().int().min(-1000).max(1000).optional(),
});
export type Process = z.infer<typeof Process>;

const Device = z.object({
  type: z.enum(['c', 'b', 'u', 'p']),
  path: z.string().startsWith('/'),
  major: z.number().int().min(0).optional(),
  minor: z.number().int().min(0).optional(),
  fileMode: z.number().int().min(0).optional(),
  uid: z.number().int().min(0).optional(),
  gid: z.number().int().min(0).optional(),
});
export type Device = z.infer<typeof Device>;

export const Linux = z.looseObject({
  namespaces: z
    .array(
      z.object({
        type: z.enum(['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time']),
        path: z.string().optional(),
      }),
    )
    .optional(),
  uidMappings: z.array(IdMapping).optional(),
  gidMappings: z.array(IdMapping).optional(),
  timeOffsets: z
    .record(z.string(), z.object({ secs: z.number().int(), nanosecs: z.number().int() }))
    .optional(),
  devices: z.array(Device).optional(),
  cgroupsPath: z.string().optional(),
  /** handed to @berth/cgroups as is */
  resources: z.looseObject({}).optional(),
  rootfsPropagation: z.string().optional(),
  maskedPaths: z.array(z.string()).optional(),
  readonlyPaths: z.array(z.string()).optional(),
  mountLabel: z.string().optional(),
  sysctl: z.record(z.string(), z.string()).optional(),
  /** compiled by @berth/native's compileSeccomp, which validates it */
  seccomp: z.looseObject({ defaultAction: z.string() }).optional(),
  personality: z.object({ domain: z.string(), flags: z.array(z.string()).optional() }).optional(),
  intelRdt: z.unknown().optional(),
});
export type Linux = z.infer<typeof Linux>;

export const Hooks = z.object({
  prestart: z.array(Hook).optional(),
  createRuntime: z.array(Hook).optional(),
  createContainer: z.array(Hook).optional(),
  startContainer: z.array(Hook).optional(),
  poststart: z.array(Hook).optional(),
  poststop: z.array(Hook).optional(),
});
export type Hooks = z.infer<typeof Hooks>;

export const RuntimeSpec = z.looseObject({
  ociVersion: z.string(),
  process: Process.optional(),
  root: z.object({ path: z.string().min(1), readonly: z.boolean().optional() }).optional(),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  mounts: z.array(Mount).optional(),
  hooks: Hooks.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  linux: Linux.optional(),
});
export type RuntimeSpec = z.infer<typeof RuntimeSpec>;

/** Validates a parsed config.json; errors name the JSON path ('process.args'). */
export function parseSpec(value: unknown): RuntimeSpec {
  try {
    parseOrThrow(OciRuntimeSpec, value, 'config.json');
  } catch (e) {
    if (e instanceof SpecValidationError) throw specError(e.path, e.issues[0]?.message ?? e.message);
    throw e;
  }
  const r = RuntimeSpec.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .slice(0);
  throw specError(where.replace(/^\./, '') || '(root)', issue.message);
}

/** Reads and validates `<bundle>/config.json`. */
export function loadBundleSpec(bundle: string): RuntimeSpec {
  const path = join(bundle, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RuntimeError(
      'EINVALIDSPEC',
      `cannot read ${path}: ${(e as Error).message}`,
      { path },
      { cause: e },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RuntimeError('EINVALIDSPEC', `${path}: ${(e as Error).message}`, { path }, { cause: e });
  }
  return parseSpec(json);
}
