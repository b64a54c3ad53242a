export {
  ALL_CAPABILITIES,
  containerCapabilities,
  DEFAULT_CAPABILITIES,
  hostCapabilities,
} from './capabilities.js';
export {
  type ContainerFiles,
  type ContainerFilesInput,
  hostsFile,
  resolvConf,
  writeContainerFiles,
} from './container-files.js';
export { ContainerStore } from './container-store.js';
export { BERTH_VERSION, Daemon, type DaemonOptions } from './daemon.js';
export type {
  ExitStatus,
  ImageRecordLike,
  ImageServiceLike,
  Logger,
  Mount,
  NetworkLike,
  SnapshotInfoLike,
  SnapshotterLike,
  SupervisorLike,
  TaskAttach,
  TaskInfo,
} from './deps.js';
export { DaemonError, type DaemonErrorCode, isDaemonError } from './errors.js';
export { EventBus } from './events.js';
export { type Probe, probeOf, recordProbe } from './health.js';
export { newId, normalizeName, shortId } from './ids.js';
export { commandOf, type ImageRunConfig, mergeImageConfig } from './image-config.js';
export { JsonLogWriter, LogEntry, nowRfc3339Nano, parseLogTime, readJsonLog } from './json-log.js';
export { resolveMountPoints } from './mount-points.js';
export { nextDelay, restartOnDaemonStart, shouldRestart, validateRestartPolicy } from './restart-policy.js';
export { dirReader, layersOf, rootfsReader } from './rootfs-reader.js';
export { defaultSeccompProfile } from './seccomp-default.js';
export { parseSignal } from './signals.js';
export { buildSpec, MASKED_PATHS, READONLY_PATHS, resources, type SpecInputs } from './spec.js';
export {
  ContainerConfig,
  type ContainerRecord,
  ContainerState,
  HostConfig,
  MountInput,
  MountPoint,
} from './types.js';
export { type ResolvedUser, type RootfsReader, resolveUser } from './user.js';
export { type VolumeInfo, VolumeRecord, VolumeStore } from './volumes.js';
