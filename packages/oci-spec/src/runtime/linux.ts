import { z } from 'zod';
import { int64, StringMap, uint32, uint64 } from '../numbers.js';
import { LinuxResources } from './resources.js';

// The `linux` object of config.json (runtime-spec v1.2.1 config-linux.md, schema config-linux.json).

export const NamespaceType = z.enum(['mount', 'pid', 'network', 'uts', 'ipc', 'user', 'cgroup', 'time']);
export type NamespaceType = z.infer<typeof NamespaceType>;

/** A namespace to create (no `path`) or to join (`path` to e.g. `/proc/1234/ns/net`). */
export const LinuxNamespace = z.object({
  type: NamespaceType,
  path: z.string().optional(),
});
export type LinuxNamespace = z.infer<typeof LinuxNamespace>;

/** One line of /proc/<pid>/uid_map or gid_map. */
export const LinuxIdMapping = z.object({
  containerID: uint32,
  hostID: uint32,
  size: uint32,
});
export type LinuxIdMapping = z.infer<typeof LinuxIdMapping>;

/** A device node the runtime creates in the container's /dev. */
export const LinuxDevice = z.object({
  /** `c` (char), `b` (block), `u` (unbuffered char), `p` (FIFO). */
  type: z.string().regex(/^[cbup]$/, { message: 'expected one of c, b, u, p' }),
  path: z.string(),
  major: int64.optional(),
  minor: int64.optional(),
  /** Permission bits; the JSON schema caps it at 512. */
  fileMode: z
    .number()
    .refine(Number.isInteger, { message: 'expected integer' })
    .refine((n) => n >= 0 && n <= 512, { message: 'expected integer in [0, 512]' })
    .optional(),
  uid: uint32.optional(),
  gid: uint32.optional(),
});
export type LinuxDevice = z.infer<typeof LinuxDevice>;

export const SeccompAction = z.enum([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);
export type SeccompAction = z.infer<typeof SeccompAction>;

export const SeccompArch = z.enum([
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_LOONGARCH64',
  'SCMP_ARCH_M68K',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_SH',
  'SCMP_ARCH_SHEB',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
]);
export type SeccompArch = z.infer<typeof SeccompArch>;

export const SeccompFlag = z.enum([
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
]);
export type SeccompFlag = z.infer<typeof SeccompFlag>;

export const SeccompOperator = z.enum([
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
]);
export type SeccompOperator = z.infer<typeof SeccompOperator>;

export const LinuxSeccompArg = z.object({
  index: uint32,
  value: uint64,
  valueTwo: uint64.optional(),
  op: SeccompOperator,
});
export type LinuxSeccompArg = z.infer<typeof LinuxSeccompArg>;

export const LinuxSyscall = z.object({
  names: z.array(z.string()).min(1, { message: 'expected at least one syscall name' }),
  action: SeccompAction,
  errnoRet: uint32.optional(),
  args: z.array(LinuxSeccompArg).optional(),
});
export type LinuxSyscall = z.infer<typeof LinuxSyscall>;

export const LinuxSeccomp = z.object({
  defaultAction: SeccompAction,
  defaultErrnoRet: uint32.optional(),
  architectures: z.array(SeccompArch).optional(),
  flags: z.array(SeccompFlag).optional(),
  listenerPath: z.string().optional(),
  listenerMetadata: z.string().optional(),
  syscalls: z.array(LinuxSyscall).optional(),
});
export type LinuxSeccomp = z.infer<typeof LinuxSeccomp>;

export const RootfsPropagation = z.enum(['private', 'shared', 'slave', 'unbindable']);
export type RootfsPropagation = z.infer<typeof RootfsPropagation>;

export const LinuxIntelRdt = z.object({
  closID: z.string().optional(),
  l3CacheSchema: z.string().optional(),
  memBwSchema: z
    .string()
    .regex(/^MB:[^\n]*$/, { message: 'expected a schema line starting with MB:' })
    .optional(),
  enableCMT: z.boolean().optional(),
  enableMBM: z.boolean().optional(),
});
export type LinuxIntelRdt = z.infer<typeof LinuxIntelRdt>;

export const LinuxPersonality = z.object({
  domain: z.enum(['LINUX', 'LINUX32']).optional(),
  flags: z.array(z.string()).optional(),
});
export type LinuxPersonality = z.infer<typeof LinuxPersonality>;

export const LinuxTimeOffset = z.object({
  secs: int64.optional(),
  nanosecs: uint32.optional(),
});
export type LinuxTimeOffset = z.infer<typeof LinuxTimeOffset>;

export const Linux = z.object({
  namespaces: z.array(LinuxNamespace).optional(),
  uidMappings: z.array(LinuxIdMapping).optional(),
  gidMappings: z.array(LinuxIdMapping).optional(),
  /** Offsets for the time namespace's CLOCK_BOOTTIME and CLOCK_MONOTONIC. */
  timeOffsets: z
    .object({ boottime: LinuxTimeOffset.optional(), monotonic: LinuxTimeOffset.optional() })
    .optional(),
  devices: z.array(LinuxDevice).optional(),
  /** Absolute (relative to the cgroup root), relative (to the runtime's parent), or `slice:prefix:name`. */
  cgroupsPath: z.string().optional(),
  resources: LinuxResources.optional(),
  rootfsPropagation: RootfsPropagation.optional(),
  seccomp: LinuxSeccomp.optional(),
  sysctl: StringMap.optional(),
  maskedPaths: z.array(z.string()).optional(),
  readonlyPaths: z.array(z.string()).optional(),
  mountLabel: z.string().optional(),
  intelRdt: LinuxIntelRdt.optional(),
  personality: LinuxPersonality.optional(),
});
export type Linux = z.infer<typeof Linux>;
