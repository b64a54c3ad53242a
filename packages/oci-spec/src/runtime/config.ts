import { z } from 'zod';
import { anyInteger, int32, StringMap, uint32, uint64 } from '../numbers.js';
import { Linux, LinuxIdMapping } from './linux.js';

// config.json of the OCI runtime spec v1.2.1 (config.md, schema config-schema.json + defs.json).
//
// Unknown fields: config.md says "Implementations that are reading/processing this configuration file
// MUST NOT generate an error if they encounter an unknown property. Instead they MUST ignore unknown
// properties." So every object is a z.object, which accepts unknown fields and drops them from the
// parsed value (the engine only ever acts on fields it understands). Extensions belong in
// `annotations`, which is kept whole. Keep the original bytes if you need to re-emit a document as-is.
// Structure and required fields follow the official JSON schema (which the cross-check test asserts),
// so a few spec-text MUSTs that the schema does not encode (e.g. `process.args` non-empty on Linux)
// are left to the runtime.

export const Hook = z.object({
  /** Absolute path of the executable (on the runtime's namespace). */
  path: z.string(),
  args: z.array(z.string()).optional(),
  env: z.array(z.string()).optional(),
  /** Seconds; must be positive. */
  timeout: anyInteger.refine((n) => n >= 1, { message: 'expected integer >= 1' }).optional(),
});
export type Hook = z.infer<typeof Hook>;

export const Hooks = z.object({
  /** Deprecated in favour of createRuntime/createContainer/startContainer. */
  prestart: z.array(Hook).optional(),
  createRuntime: z.array(Hook).optional(),
  createContainer: z.array(Hook).optional(),
  startContainer: z.array(Hook).optional(),
  poststart: z.array(Hook).optional(),
  poststop: z.array(Hook).optional(),
});
export type Hooks = z.infer<typeof Hooks>;

export const Mount = z.object({
  /** Absolute path inside the container (relative paths are resolved against `/`). */
  destination: z.string(),
  source: z.string().optional(),
  /** Filesystem type (`proc`, `tmpfs`, `bind`...); on Linux the spec allows omitting it for bind mounts. */
  type: z.string().optional(),
  /** fstab-style options, including the propagation and `bind`/`rbind` flags. */
  options: z.array(z.string()).optional(),
  /** ID-mapped mount (MOUNT_ATTR_IDMAP). */
  uidMappings: z.array(LinuxIdMapping).optional(),
  gidMappings: z.array(LinuxIdMapping).optional(),
});
export type Mount = z.infer<typeof Mount>;

export const Root = z.object({
  /** Path to the rootfs, absolute or relative to the bundle. */
  path: z.string(),
  readonly: z.boolean().optional(),
});
export type Root = z.infer<typeof Root>;

export const User = z.object({
  uid: uint32.optional(),
  gid: uint32.optional(),
  umask: uint32.optional(),
  additionalGids: z.array(uint32).optional(),
  /** Windows only. */
  username: z.string().optional(),
});
export type User = z.infer<typeof User>;

export const LinuxCapabilities = z.object({
  bounding: z.array(z.string()).optional(),
  effective: z.array(z.string()).optional(),
  inheritable: z.array(z.string()).optional(),
  permitted: z.array(z.string()).optional(),
  ambient: z.array(z.string()).optional(),
});
export type LinuxCapabilities = z.infer<typeof LinuxCapabilities>;

export const POSIXRlimit = z.object({
  type: z.string().regex(/^RLIMIT_[A-Z]+$/, { message: 'expected RLIMIT_<NAME>' }),
  soft: uint64,
  hard: uint64,
});
export type POSIXRlimit = z.infer<typeof POSIXRlimit>;

export const ConsoleSize = z.object({ height: uint64, width: uint64 });
export type ConsoleSize = z.infer<typeof ConsoleSize>;

export const SchedulerPolicy = z.enum([
  'SCHED_OTHER',
  'SCHED_FIFO',
  'SCHED_RR',
  'SCHED_BATCH',
  'SCHED_ISO',
  'SCHED_IDLE',
  'SCHED_DEADLINE',
]);
export type SchedulerPolicy = z.infer<typeof SchedulerPolicy>;

export const SchedulerFlag = z.enum([
  'SCHED_FLAG_RESET_ON_FORK',
  'SCHED_FLAG_RECLAIM',
  'SCHED_FLAG_DL_OVERRUN',
  'SCHED_FLAG_KEEP_POLICY',
  'SCHED_FLAG_KEEP_PARAMS',
  'SCHED_FLAG_UTIL_CLAMP_MIN',
  'SCHED_FLAG_UTIL_CLAMP_MAX',
]);
export type SchedulerFlag = z.infer<typeof SchedulerFlag>;

/** sched_setattr(2) parameters. */
export const Scheduler = z.object({
  policy: SchedulerPolicy,
  nice: int32.optional(),
  priority: int32.optional(),
  flags: z.array(SchedulerFlag).optional(),
  runtime: uint64.optional(),
  deadline: uint64.optional(),
  period: uint64.optional(),
});
export type Scheduler = z.infer<typeof Scheduler>;

/** ioprio_set(2) parameters. */
export const IOPriority = z.object({
  class: z.enum(['IOPRIO_CLASS_RT', 'IOPRIO_CLASS_BE', 'IOPRIO_CLASS_IDLE']),
  priority: int32.optional(),
});
export type IOPriority = z.infer<typeof IOPriority>;

const cpuList = z.string().regex(/^[0-9, -]*$/, { message: 'expected a CPU list like 0-3,7' });

/** CPU affinity for `runc exec`-style processes: before and after joining the cgroup. */
export const CPUAffinity = z.object({
  initial: cpuList.optional(),
  final: cpuList.optional(),
});
export type CPUAffinity = z.infer<typeof CPUAffinity>;

export const Process = z.object({
  terminal: z.boolean().optional(),
  consoleSize: ConsoleSize.optional(),
  user: User.optional(),
  /** argv; the spec text requires at least one entry on Linux, the schema does not. */
  args: z.array(z.string()).optional(),
  /** Windows only. */
  commandLine: z.string().optional(),
  /** `KEY=value` entries. */
  env: z.array(z.string()).optional(),
  /** Absolute working directory inside the container. */
  cwd: z.string(),
  capabilities: LinuxCapabilities.optional(),
  rlimits: z.array(POSIXRlimit).optional(),
  noNewPrivileges: z.boolean().optional(),
  apparmorProfile: z.string().optional(),
  oomScoreAdj: anyInteger.optional(),
  scheduler: Scheduler.optional(),
  selinuxLabel: z.string().optional(),
  ioPriority: IOPriority.optional(),
  execCPUAffinity: CPUAffinity.optional(),
});
export type Process = z.infer<typeof Process>;

/** A non-Linux platform section: berth is Linux-only, so these are checked to be objects and kept whole. */
const OtherPlatform = z.looseObject({});

/** config.json (OCI runtime spec v1.2.1). */
export const RuntimeSpec = z.object({
  ociVersion: z.string(),
  process: Process.optional(),
  root: Root.optional(),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  mounts: z.array(Mount).optional(),
  hooks: Hooks.optional(),
  /** Arbitrary metadata; keys should be reverse-domain (`org.opencontainers.image.*` is reserved). */
  annotations: StringMap.optional(),
  linux: Linux.optional(),
  solaris: OtherPlatform.optional(),
  windows: OtherPlatform.optional(),
  vm: OtherPlatform.optional(),
  zos: OtherPlatform.optional(),
});
export type RuntimeSpec = z.infer<typeof RuntimeSpec>;
