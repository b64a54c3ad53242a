export { type Controller, deviceNumber } from './controller.js';
export { CgroupError, type CgroupErrorCode, type CgroupErrorFacts, isCgroupError } from './errors.js';
export type { CgroupEvent, EventsOptions } from './events.js';
export { type CreateManagerOptions, createManager } from './factory.js';
export {
  type CgroupLayout,
  detectLayout,
  type MountInfoEntry,
  ownCgroups,
  parseMountInfo,
  parseProcCgroup,
  V1_CONTROLLERS,
  type V1Controller,
  type V1Hierarchy,
} from './layout.js';
export type { CgroupManager } from './manager.js';
export {
  expandSlice,
  parseSystemdCgroupsPath,
  type ResolvedCgroupsPath,
  type ResolveOptions,
  resolveCgroupsPath,
  type SystemdCgroupsPath,
} from './paths.js';
export type * from './resources.js';
export type * from './stats.js';
export { type DockerStatsContext, toDockerStats, toOciEventStats } from './stats-formats.js';
export { V1Manager, type V1ManagerOptions } from './v1/manager.js';
export { cpuMaxValue, sharesToWeight } from './v2/cpu.js';
export { type AttachedDeviceFilter, attachDeviceFilter } from './v2/devices.js';
export {
  type BpfInsn,
  decodeProgram,
  deviceFilterProgram,
  disassemble,
  encodeProgram,
} from './v2/devices-bpf.js';
export { blkioWeightToIoWeight, ioMaxLines } from './v2/io.js';
export { V2Manager, type V2ManagerOptions } from './v2/manager.js';
export { swapMaxValue } from './v2/memory.js';
