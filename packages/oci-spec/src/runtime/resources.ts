import { z } from 'zod';
import { int64, StringMap, uint16, uint32, uint64 } from '../numbers.js';

// linux.resources of config.json (runtime-spec v1.2.1 config-linux.md "Control groups").
// Objects use z.object, which accepts and drops unknown fields: the spec says consumers MUST ignore
// unknown properties, and dropping them gives the cgroup code exact types.

/** A device cgroup rule: `{ allow: false, access: 'rwm' }` denies everything. */
export const LinuxDeviceCgroup = z.object({
  allow: z.boolean(),
  /** `a` (all), `c` or `b`; the JSON schema accepts any string. */
  type: z.string().optional(),
  major: int64.optional(),
  minor: int64.optional(),
  /** Some of `r`, `w`, `m`. */
  access: z.string().optional(),
});
export type LinuxDeviceCgroup = z.infer<typeof LinuxDeviceCgroup>;

export const LinuxMemory = z.object({
  /** Bytes; -1 means unlimited. */
  limit: int64.optional(),
  reservation: int64.optional(),
  /** memory+swap limit in bytes (v1 semantics); -1 means unlimited. */
  swap: int64.optional(),
  /** Deprecated in the spec; runtimes ignore it on cgroup v2. */
  kernel: int64.optional(),
  kernelTCP: int64.optional(),
  /** 0-100 per the spec text; the JSON schema only says uint64. */
  swappiness: uint64.optional(),
  disableOOMKiller: z.boolean().optional(),
  useHierarchy: z.boolean().optional(),
  checkBeforeUpdate: z.boolean().optional(),
});
export type LinuxMemory = z.infer<typeof LinuxMemory>;

export const LinuxCPU = z.object({
  shares: uint64.optional(),
  /** Microseconds of CPU time per `period`; -1 means unlimited. */
  quota: int64.optional(),
  burst: uint64.optional(),
  period: uint64.optional(),
  realtimeRuntime: int64.optional(),
  realtimePeriod: uint64.optional(),
  /** cpuset list, e.g. `0-3,7`. */
  cpus: z.string().optional(),
  mems: z.string().optional(),
  idle: int64.optional(),
});
export type LinuxCPU = z.infer<typeof LinuxCPU>;

export const LinuxPids = z.object({
  /**
   * Maximum number of tasks; -1 means unlimited. 0 is a real limit of zero (runtime-spec PR #1279,
   * runc 1.4), and @berth/cgroups writes it as-is.
   */
  limit: int64,
});
export type LinuxPids = z.infer<typeof LinuxPids>;

const LinuxBlockIODevice = { major: int64, minor: int64 };

export const LinuxWeightDevice = z.object({
  ...LinuxBlockIODevice,
  weight: uint16.optional(),
  leafWeight: uint16.optional(),
});
export type LinuxWeightDevice = z.infer<typeof LinuxWeightDevice>;

export const LinuxThrottleDevice = z.object({
  ...LinuxBlockIODevice,
  /** Bytes per second or IO operations per second, depending on the list it is in. */
  rate: uint64.optional(),
});
export type LinuxThrottleDevice = z.infer<typeof LinuxThrottleDevice>;

export const LinuxBlockIO = z.object({
  weight: uint16.optional(),
  leafWeight: uint16.optional(),
  weightDevice: z.array(LinuxWeightDevice).optional(),
  throttleReadBpsDevice: z.array(LinuxThrottleDevice).optional(),
  throttleWriteBpsDevice: z.array(LinuxThrottleDevice).optional(),
  throttleReadIOPSDevice: z.array(LinuxThrottleDevice).optional(),
  throttleWriteIOPSDevice: z.array(LinuxThrottleDevice).optional(),
});
export type LinuxBlockIO = z.infer<typeof LinuxBlockIO>;

export const LinuxHugepageLimit = z.object({
  /** `2MB`, `1GB`, `64KB`... */
  pageSize: z.string().regex(/^[1-9][0-9]*[KMG]B$/, { message: 'expected a page size like 2MB' }),
  limit: uint64,
});
export type LinuxHugepageLimit = z.infer<typeof LinuxHugepageLimit>;

export const LinuxInterfacePriority = z.object({
  name: z.string(),
  priority: uint32,
});
export type LinuxInterfacePriority = z.infer<typeof LinuxInterfacePriority>;

export const LinuxNetwork = z.object({
  classID: uint32.optional(),
  priorities: z.array(LinuxInterfacePriority).optional(),
});
export type LinuxNetwork = z.infer<typeof LinuxNetwork>;

export const LinuxRdma = z.object({
  hcaHandles: uint32.optional(),
  hcaObjects: uint32.optional(),
});
export type LinuxRdma = z.infer<typeof LinuxRdma>;

export const LinuxResources = z.object({
  devices: z.array(LinuxDeviceCgroup).optional(),
  memory: LinuxMemory.optional(),
  cpu: LinuxCPU.optional(),
  pids: LinuxPids.optional(),
  blockIO: LinuxBlockIO.optional(),
  hugepageLimits: z.array(LinuxHugepageLimit).optional(),
  network: LinuxNetwork.optional(),
  /** Keyed by RDMA device name (`mlx5_1`). */
  rdma: z.record(z.string(), LinuxRdma).optional(),
  /** cgroup v2 files written as-is (`{ "memory.high": "1G" }`). */
  unified: StringMap.optional(),
});
export type LinuxResources = z.infer<typeof LinuxResources>;
