import type { ContainerSummary } from './container.js';
import type { ImageSummary } from './image.js';
import type { Volume } from './volume.js';

/** GET /version. `ApiVersion` and `MinAPIVersion` are filled in by the server if the Backend leaves them out. */
export interface SystemVersion {
  Platform?: { Name: string };
  Components?: { Name: string; Version: string; Details?: Record<string, string> }[];
  Version: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  Experimental?: boolean;
  BuildTime: string;
}

/**
 * GET /info. Docker's SystemInfo has ~70 fields; these are the ones clients read. The Backend may add
 * more (the server sends what it gets).
 */
export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  DriverStatus: [string, string][];
  DockerRootDir: string;
  Plugins: { Volume: string[]; Network: string[]; Authorization: string[] | null; Log: string[] };
  MemoryLimit: boolean;
  SwapLimit: boolean;
  CpuCfsPeriod: boolean;
  CpuCfsQuota: boolean;
  CPUShares: boolean;
  CPUSet: boolean;
  PidsLimit: boolean;
  OomKillDisable: boolean;
  IPv4Forwarding: boolean;
  Debug: boolean;
  NFd: number;
  NGoroutines: number;
  SystemTime: string;
  LoggingDriver: string;
  CgroupDriver: string;
  CgroupVersion: string;
  NEventsListener: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  IndexServerAddress: string;
  RegistryConfig: Record<string, unknown> | null;
  HttpProxy: string;
  HttpsProxy: string;
  NoProxy: string;
  Name: string;
  Labels: string[];
  ExperimentalBuild: boolean;
  ServerVersion: string;
  Runtimes: Record<string, { path: string; runtimeArgs?: string[] }>;
  DefaultRuntime: string;
  Swarm: {
    LocalNodeState: string;
    NodeID: string;
    NodeAddr: string;
    ControlAvailable: boolean;
    Error: string;
  };
  LiveRestoreEnabled: boolean;
  Isolation: string;
  InitBinary: string;
  SecurityOptions: string[];
  Warnings: string[] | null;
  [extra: string]: unknown;
}

/** GET /system/df. */
export interface SystemDf {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: Volume[];
  BuildCache: unknown[];
}

/** One item of GET /events (Docker's events.Message). */
export interface EventMessage {
  Type:
    | 'builder'
    | 'config'
    | 'container'
    | 'daemon'
    | 'image'
    | 'network'
    | 'node'
    | 'plugin'
    | 'secret'
    | 'service'
    | 'volume';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local' | 'swarm';
  time: number;
  timeNano: number;
  /** Deprecated fields some clients still read. */
  status?: string;
  id?: string;
  from?: string;
}

export interface AuthResponse {
  Status: string;
  IdentityToken?: string;
}
