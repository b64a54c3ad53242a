// Docker's container configuration shapes (Engine API ContainerConfig / HostConfig), as the daemon
// stores and reads them back. Objects are loose: fields berth does not act on are kept, so inspect
// shows what the client sent. Docker clients send null for many unset fields, hence nullish.
import { z } from 'zod';

const StringList = z.array(z.string()).nullish();
const StringMap = z.record(z.string(), z.string()).nullish();
const Num = z.number().nullish();

export const HealthConfig = z.looseObject({
  Test: StringList,
  Interval: Num,
  Timeout: Num,
  Retries: Num,
  StartPeriod: Num,
});

/** Engine API ContainerConfig (the image-independent part of `docker create`). */
export const ContainerConfig = z.looseObject({
  Hostname: z.string().nullish(),
  Domainname: z.string().nullish(),
  User: z.string().nullish(),
  AttachStdin: z.boolean().nullish(),
  AttachStdout: z.boolean().nullish(),
  AttachStderr: z.boolean().nullish(),
  ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
  Tty: z.boolean().nullish(),
  OpenStdin: z.boolean().nullish(),
  StdinOnce: z.boolean().nullish(),
  Env: StringList,
  Cmd: z.union([z.array(z.string()), z.string()]).nullish(),
  Healthcheck: HealthConfig.nullish(),
  ArgsEscaped: z.boolean().nullish(),
  Image: z.string().nullish(),
  Volumes: z.record(z.string(), z.unknown()).nullish(),
  WorkingDir: z.string().nullish(),
  Entrypoint: z.union([z.array(z.string()), z.string()]).nullish(),
  NetworkDisabled: z.boolean().nullish(),
  OnBuild: StringList,
  Labels: StringMap,
  StopSignal: z.string().nullish(),
  StopTimeout: Num,
  Shell: StringList,
});
export type ContainerConfig = z.infer<typeof ContainerConfig>;

export const MountInput = z.looseObject({
  Target: z.string(),
  Source: z.string().nullish(),
  Type: z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']),
  ReadOnly: z.boolean().nullish(),
  Consistency: z.string().nullish(),
  BindOptions: z
    .looseObject({
      Propagation: z.string().nullish(),
      NonRecursive: z.boolean().nullish(),
      CreateMountpoint: z.boolean().nullish(),
    })
    .nullish(),
  VolumeOptions: z
    .looseObject({
      NoCopy: z.boolean().nullish(),
      Labels: StringMap,
      Subpath: z.string().nullish(),
      DriverConfig: z.looseObject({ Name: z.string().nullish(), Options: StringMap }).nullish(),
    })
    .nullish(),
  TmpfsOptions: z
    .looseObject({ SizeBytes: Num, Mode: Num, Options: z.array(z.array(z.string())).nullish() })
    .nullish(),
});
export type MountInput = z.infer<typeof MountInput>;

export const RestartPolicy = z.looseObject({
  Name: z.enum(['', 'no', 'always', 'unless-stopped', 'on-failure']).nullish(),
  MaximumRetryCount: Num,
});
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const Ulimit = z.object({ Name: z.string(), Soft: z.number(), Hard: z.number() });

export const DeviceMapping = z.looseObject({
  PathOnHost: z.string(),
  PathInContainer: z.string().nullish(),
  CgroupPermissions: z.string().nullish(),
});

/** Engine API HostConfig. */
export const HostConfig = z.looseObject({
  Binds: StringList,
  ContainerIDFile: z.string().nullish(),
  LogConfig: z.looseObject({ Type: z.string().nullish(), Config: StringMap }).nullish(),
  NetworkMode: z.string().nullish(),
  PortBindings: z
    .record(
      z.string(),
      z.array(z.looseObject({ HostIp: z.string().nullish(), HostPort: z.string().nullish() })).nullish(),
    )
    .nullish(),
  RestartPolicy: RestartPolicy.nullish(),
  AutoRemove: z.boolean().nullish(),
  VolumeDriver: z.string().nullish(),
  VolumesFrom: StringList,
  Mounts: z.array(MountInput).nullish(),
  ConsoleSize: z.array(z.number()).nullish(),
  Annotations: StringMap,
  CapAdd: StringList,
  CapDrop: StringList,
  CgroupnsMode: z.string().nullish(),
  Dns: StringList,
  DnsOptions: StringList,
  DnsSearch: StringList,
  ExtraHosts: StringList,
  GroupAdd: StringList,
  IpcMode: z.string().nullish(),
  Cgroup: z.string().nullish(),
  Links: StringList,
  OomScoreAdj: Num,
  PidMode: z.string().nullish(),
  Privileged: z.boolean().nullish(),
  PublishAllPorts: z.boolean().nullish(),
  ReadonlyRootfs: z.boolean().nullish(),
  SecurityOpt: StringList,
  StorageOpt: StringMap,
  Tmpfs: StringMap,
  UTSMode: z.string().nullish(),
  UsernsMode: z.string().nullish(),
  ShmSize: Num,
  Sysctls: StringMap,
  Runtime: z.string().nullish(),
  Isolation: z.string().nullish(),
  CpuShares: Num,
  Memory: Num,
  NanoCpus: Num,
  CgroupParent: z.string().nullish(),
  BlkioWeight: Num,
  CpuPeriod: Num,
  CpuQuota: Num,
  CpuRealtimePeriod: Num,
  CpuRealtimeRuntime: Num,
  CpusetCpus: z.string().nullish(),
  CpusetMems: z.string().nullish(),
  Devices: z.array(DeviceMapping).nullish(),
  DeviceCgroupRules: StringList,
  MemoryReservation: Num,
  MemorySwap: Num,
  MemorySwappiness: Num,
  KernelMemory: Num,
  OomKillDisable: z.boolean().nullish(),
  PidsLimit: Num,
  Ulimits: z.array(Ulimit).nullish(),
  Init: z.boolean().nullish(),
  MaskedPaths: StringList,
  ReadonlyPaths: StringList,
});
export type HostConfig = z.infer<typeof HostConfig>;

export const ContainerStatus = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const ContainerState = z.object({
  Status: ContainerStatus,
  Running: z.boolean(),
  Paused: z.boolean(),
  Restarting: z.boolean(),
  OOMKilled: z.boolean(),
  Dead: z.boolean(),
  Pid: z.number(),
  ExitCode: z.number(),
  Error: z.string(),
  StartedAt: z.string(),
  FinishedAt: z.string(),
  Health: z
    .object({
      Status: z.enum(['starting', 'healthy', 'unhealthy']),
      FailingStreak: z.number(),
      Log: z.array(
        z.object({ Start: z.string(), End: z.string(), ExitCode: z.number(), Output: z.string() }),
      ),
    })
    .optional(),
});
export type ContainerState = z.infer<typeof ContainerState>;

export const MountPoint = z.object({
  Type: z.enum(['bind', 'volume', 'tmpfs']),
  Name: z.string().optional(),
  Source: z.string(),
  Destination: z.string(),
  Driver: z.string().optional(),
  Mode: z.string(),
  RW: z.boolean(),
  Propagation: z.string(),
  /** tmpfs mount options (mount(8) style), for Type tmpfs */
  Options: z.array(z.string()).optional(),
  /** an anonymous volume, removed with `rm -v` */
  Anonymous: z.boolean().optional(),
  /** do not fill an empty volume with the image's content at that path (`nocopy`) */
  NoCopy: z.boolean().optional(),
});
export type MountPoint = z.infer<typeof MountPoint>;

/** What the daemon records per container (data-root/containers/<id>/config.v2.json), Docker's names. */
export const ContainerRecord = z.object({
  Id: z.string().regex(/^[0-9a-f]{64}$/),
  Created: z.string(),
  Path: z.string(),
  Args: z.array(z.string()),
  Name: z.string(),
  RestartCount: z.number(),
  Driver: z.string(),
  Platform: z.string(),
  /** the image's id (sha256:…) */
  Image: z.string(),
  Config: ContainerConfig,
  HostConfig: HostConfig,
  State: ContainerState,
  MountPoints: z.array(MountPoint),
  LogPath: z.string(),
  ResolvConfPath: z.string(),
  HostnamePath: z.string(),
  HostsPath: z.string(),
  /** the snapshot key of the container's rootfs in the image store's snapshotter */
  SnapshotKey: z.string(),
  /** set by `docker stop`/`kill` so restart policies do not bring it back */
  HasBeenManuallyStopped: z.boolean(),
  NetworkSettings: z.record(z.string(), z.unknown()).optional(),
  /** networks joined with `docker network connect` besides HostConfig.NetworkMode (attached at start) */
  ExtraNetworks: z.array(z.string()).optional(),
  /** `--network-alias` per network (NetworkingConfig.EndpointsConfig[net].Aliases) */
  NetworkAliases: z.record(z.string(), z.array(z.string())).optional(),
  AppArmorProfile: z.string().optional(),
});
export type ContainerRecord = z.infer<typeof ContainerRecord>;
