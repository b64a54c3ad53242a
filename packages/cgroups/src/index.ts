export { type Controller, deviceNumber } from './controller.js';
export { CgroupError, type CgroupErrorCode, type CgroupErrorFacts, isCgroupError } from './errors.js';
export type { CgroupEvent, EventsOptions } from './events.js';
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
export { V1Manager, type V1ManagerOptions } from './v1/manager.js';
