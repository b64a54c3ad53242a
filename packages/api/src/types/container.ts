import { z } from 'zod';
import { EmptyObjectSet, Int, StringMap, StrSlice, Uint } from './common.js';

/**
 * Request bodies of /containers/*. Unknown fields are dropped (Docker's Go decoder ignores them, and
 * newer clients send fields older daemons do not know); `null` values are removed by the server before
 * parsing (Go reads null as the zero value), so every optional field is plain `optional()`.
 */

export const HealthConfig = z.object({
  Test: z.array(z.string()).optional(),
  Interval: Int.optional(),
  Timeout: Int.optional(),
  Retries: Int.optional(),
  StartPeriod: Int.optional(),
  StartInterval: Int.optional(),
});
export type HealthConfig = z.infer<typeof HealthConfig>;

/** The container's Config (the top level of a create body, and `Config` of inspect). */
export const ContainerConfig = z.object({
  Hostname: z.string().optional(),
  Domainname: z.string().optional(),
  User: z.string().optional(),
  AttachStdin: z.boolean().optional(),
  AttachStdout: z.boolean().optional(),
  AttachStderr: z.boolean().optional(),
  ExposedPorts: EmptyObjectSet.optional(),
  Tty: z.boolean().optional(),
  OpenStdin: z.boolean().optional(),
  StdinOnce: z.boolean().optional(),
  Env: z.array(z.string()).optional(),
  Cmd: StrSlice.optional(),
  Healthcheck: HealthConfig.optional(),
  ArgsEscaped: z.boolean().optional(),
  Image: z.string().optional(),
  Volumes: EmptyObjectSet.optional(),
  WorkingDir: z.string().optional(),
  Entrypoint: StrSlice.optional(),
  NetworkDisabled: z.boolean().optional(),
  MacAddress: z.string().optional(),
  OnBuild: z.array(z.string()).optional(),
  Labels: StringMap.optional(),
  StopSignal: z.string().optional(),
  StopTimeout: Int.optional(),
  Shell: StrSlice.optional(),
});
export type ContainerConfig = z.infer<typeof ContainerConfig>;

export const PortBinding = z.object({ HostIp: z.string().optional(), HostPort: z.string().optional() });
export type PortBinding = z.infer<typeof PortBinding>;

/** "80/tcp" → [{HostIp, HostPort}] */
export const PortMap = z.record(z.string(), z.array(PortBinding).optional());
export type PortMap = z.infer<typeof PortMap>;

export const RestartPolicy = z.object({
  Name: z.enum(['', 'no', 'always', 'unless-stopped', 'on-failure']).optional(),
  MaximumRetryCount: Int.optional(),
});
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const LogConfig = z.object({ Type: z.string().optional(), Config: StringMap.optional() });
export type LogConfig = z.infer<typeof LogConfig>;

export const DeviceMapping = z.object({
  PathOnHost: z.string().optional(),
  PathInContainer: z.string().optional(),
  CgroupPermissions: z.string().optional(),
});
export type DeviceMapping = z.infer<typeof DeviceMapping>;

export const DeviceRequest = z.object({
  Driver: z.string().optional(),
  Count: Int.optional(),
  DeviceIDs: z.array(z.string()).optional(),
  Capabilities: z.array(z.array(z.string())).optional(),
  Options: StringMap.optional(),
});
export type DeviceRequest = z.infer<typeof DeviceRequest>;

export const WeightDevice = z.object({ Path: z.string().optional(), Weight: Uint.optional() });
export const ThrottleDevice = z.object({ Path: z.string().optional(), Rate: Uint.optional() });
export const Ulimit = z.object({ Name: z.string(), Soft: Int, Hard: Int });
export type Ulimit = z.infer<typeof Ulimit>;

export const Mount = z.object({
  Target: z.string().optional(),
  Source: z.string().optional(),
  Type: z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']).optional(),
  ReadOnly: z.boolean().optional(),
  Consistency: z.string().optional(),
  BindOptions: z
    .object({
      Propagation: z.string().optional(),
      NonRecursive: z.boolean().optional(),
      CreateMountpoint: z.boolean().optional(),
      ReadOnlyNonRecursive: z.boolean().optional(),
      ReadOnlyForceRecursive: z.boolean().optional(),
    })
    .optional(),
  VolumeOptions: z
    .object({
      NoCopy: z.boolean().optional(),
      Labels: StringMap.optional(),
      DriverConfig: z.object({ Name: z.string().optional(), Options: StringMap.optional() }).optional(),
      Subpath: z.string().optional(),
    })
    .optional(),
  ImageOptions: z.object({ Subpath: z.string().optional() }).optional(),
  TmpfsOptions: z
    .object({
      SizeBytes: Int.optional(),
      Mode: Int.optional(),
      Options: z.array(z.array(z.string())).optional(),
    })
    .optional(),
});
export type Mount = z.infer<typeof Mount>;

/** The resource part of HostConfig; also the body of POST /containers/{id}/update. */
export const Resources = z.object({
  CpuShares: Int.optional(),
  Memory: Int.optional(),
  CgroupParent: z.string().optional(),
  BlkioWeight: Uint.optional(),
  BlkioWeightDevice: z.array(WeightDevice).optional(),
  BlkioDeviceReadBps: z.array(ThrottleDevice).optional(),
  BlkioDeviceWriteBps: z.array(ThrottleDevice).optional(),
  BlkioDeviceReadIOps: z.array(ThrottleDevice).optional(),
  BlkioDeviceWriteIOps: z.array(ThrottleDevice).optional(),
  CpuPeriod: Int.optional(),
  CpuQuota: Int.optional(),
  CpuRealtimePeriod: Int.optional(),
  CpuRealtimeRuntime: Int.optional(),
  CpusetCpus: z.string().optional(),
  CpusetMems: z.string().optional(),
  Devices: z.array(DeviceMapping).optional(),
  DeviceCgroupRules: z.array(z.string()).optional(),
  DeviceRequests: z.array(DeviceRequest).optional(),
  KernelMemoryTCP: Int.optional(),
  MemoryReservation: Int.optional(),
  MemorySwap: Int.optional(),
  MemorySwappiness: Int.optional(),
  NanoCpus: Int.optional(),
  OomKillDisable: z.boolean().optional(),
  Init: z.boolean().optional(),
  PidsLimit: Int.optional(),
  Ulimits: z.array(Ulimit).optional(),
  CpuCount: Int.optional(),
  CpuPercent: Int.optional(),
  IOMaximumIOps: Int.optional(),
  IOMaximumBandwidth: Int.optional(),
});
export type Resources = z.infer<typeof Resources>;

export const HostConfig = Resources.extend({
  Binds: z.array(z.string()).optional(),
  ContainerIDFile: z.string().optional(),
  LogConfig: LogConfig.optional(),
  NetworkMode: z.string().optional(),
  PortBindings: PortMap.optional(),
  RestartPolicy: RestartPolicy.optional(),
  AutoRemove: z.boolean().optional(),
  VolumeDriver: z.string().optional(),
  VolumesFrom: z.array(z.string()).optional(),
  Mounts: z.array(Mount).optional(),
  ConsoleSize: z.array(Uint).optional(),
  Annotations: StringMap.optional(),
  CapAdd: z.array(z.string()).optional(),
  CapDrop: z.array(z.string()).optional(),
  CgroupnsMode: z.enum(['', 'private', 'host']).optional(),
  Dns: z.array(z.string()).optional(),
  DnsOptions: z.array(z.string()).optional(),
  DnsSearch: z.array(z.string()).optional(),
  ExtraHosts: z.array(z.string()).optional(),
  GroupAdd: z.array(z.string()).optional(),
  IpcMode: z.string().optional(),
  Cgroup: z.string().optional(),
  Links: z.array(z.string()).optional(),
  OomScoreAdj: Int.optional(),
  PidMode: z.string().optional(),
  Privileged: z.boolean().optional(),
  PublishAllPorts: z.boolean().optional(),
  ReadonlyRootfs: z.boolean().optional(),
  SecurityOpt: z.array(z.string()).optional(),
  StorageOpt: StringMap.optional(),
  Tmpfs: StringMap.optional(),
  UTSMode: z.string().optional(),
  UsernsMode: z.string().optional(),
  ShmSize: Int.optional(),
  Sysctls: StringMap.optional(),
  Runtime: z.string().optional(),
  Isolation: z.string().optional(),
  MaskedPaths: z.array(z.string()).optional(),
  ReadonlyPaths: z.array(z.string()).optional(),
});
export type HostConfig = z.infer<typeof HostConfig>;

export const EndpointIPAMConfig = z.object({
  IPv4Address: z.string().optional(),
  IPv6Address: z.string().optional(),
  LinkLocalIPs: z.array(z.string()).optional(),
});

export const EndpointSettings = z.object({
  IPAMConfig: EndpointIPAMConfig.optional(),
  Links: z.array(z.string()).optional(),
  MacAddress: z.string().optional(),
  Aliases: z.array(z.string()).optional(),
  DriverOpts: StringMap.optional(),
  GwPriority: Int.optional(),
  NetworkID: z.string().optional(),
  EndpointID: z.string().optional(),
  Gateway: z.string().optional(),
  IPAddress: z.string().optional(),
  IPPrefixLen: Int.optional(),
  IPv6Gateway: z.string().optional(),
  GlobalIPv6Address: z.string().optional(),
  GlobalIPv6PrefixLen: Int.optional(),
  DNSNames: z.array(z.string()).optional(),
});
export type EndpointSettings = z.infer<typeof EndpointSettings>;

export const NetworkingConfig = z.object({
  EndpointsConfig: z.record(z.string(), EndpointSettings).optional(),
});
export type NetworkingConfig = z.infer<typeof NetworkingConfig>;

/** Body of POST /containers/create: Config at the top level plus HostConfig and NetworkingConfig. */
export const ContainerCreate = ContainerConfig.extend({
  HostConfig: HostConfig.optional(),
  NetworkingConfig: NetworkingConfig.optional(),
});
export type ContainerCreate = z.infer<typeof ContainerCreate>;

/** Body of POST /containers/{id}/update. */
export const ContainerUpdate = Resources.extend({ RestartPolicy: RestartPolicy.optional() });
export type ContainerUpdate = z.infer<typeof ContainerUpdate>;

/** wait's `condition` query. */
export const WaitCondition = z.enum(['not-running', 'next-exit', 'removed']);
export type WaitCondition = z.infer<typeof WaitCondition>;

// ---- responses (produced by the Backend; plain interfaces, Docker's field names) ----

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[];
}

export interface Port {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: 'tcp' | 'udp' | 'sctp';
}

export interface MountPoint {
  Type?: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  ImageManifestDescriptor?: unknown;
  Command: string;
  Created: number;
  Ports: Port[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string>;
  State: 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'removing' | 'dead';
  Status: string;
  HostConfig: { NetworkMode: string; Annotations?: Record<string, string> };
  NetworkSettings: { Networks: Record<string, EndpointSettings> };
  Mounts: MountPoint[];
}

export interface ContainerState {
  Status: ContainerSummary['State'];
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string; FailingStreak: number; Log: unknown[] };
}

export interface NetworkSettings {
  Bridge?: string;
  SandboxID: string;
  SandboxKey: string;
  Ports: PortMap;
  HairpinMode?: boolean;
  LinkLocalIPv6Address?: string;
  LinkLocalIPv6PrefixLen?: number;
  SecondaryIPAddresses?: unknown;
  SecondaryIPv6Addresses?: unknown;
  EndpointID?: string;
  Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  MacAddress?: string;
  Networks: Record<string, EndpointSettings>;
}

/** GET /containers/{id}/json. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: HostConfig;
  GraphDriver: { Name: string; Data: Record<string, string> };
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: MountPoint[];
  Config: ContainerConfig;
  NetworkSettings: NetworkSettings;
}

export interface ContainerWaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

export interface ContainerTopResponse {
  Titles: string[];
  Processes: string[][];
}

/** Kind: 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** X-Docker-Container-Path-Stat (base64 JSON) of archive HEAD/GET. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ContainerPruneResponse {
  ContainersDeleted: string[];
  SpaceReclaimed: number;
}

export interface ContainerUpdateResponse {
  Warnings: string[];
}

/** One sample of GET /containers/{id}/stats (Docker's StatsJSON; cgroup-version specific parts loose). */
export interface ContainerStats {
  name?: string;
  id?: string;
  read: string;
  preread: string;
  pids_stats?: { current?: number; limit?: number };
  blkio_stats?: Record<string, unknown>;
  num_procs?: number;
  storage_stats?: Record<string, unknown>;
  cpu_stats: {
    cpu_usage: {
      total_usage: number;
      percpu_usage?: number[];
      usage_in_kernelmode: number;
      usage_in_usermode: number;
    };
    system_cpu_usage?: number;
    online_cpus?: number;
    throttling_data?: { periods: number; throttled_periods: number; throttled_time: number };
  };
  precpu_stats: ContainerStats['cpu_stats'];
  memory_stats: {
    usage?: number;
    max_usage?: number;
    stats?: Record<string, number>;
    failcnt?: number;
    limit?: number;
  };
  networks?: Record<string, Record<string, number>>;
}
