// The `linux.resources` object of an OCI config.json (runtime-spec 1.2, config-linux.md#control-groups).
// Structural copy of @berth/oci-spec's `LinuxResources`, whose schemas are not committed yet; this file
// becomes `export type { LinuxResources } from '@berth/oci-spec'` once they are. Validation of config.json
// is @berth/oci-spec's job: this package trusts the shape and checks only the values the kernel needs.

export interface LinuxDeviceCgroup {
  allow: boolean;
  /** 'a' (all), 'c' or 'b'; absent means 'a'. */
  type?: string | undefined;
  /** Absent or null (or -1) means any major. */
  major?: number | null | undefined;
  minor?: number | null | undefined;
  /** Any of 'r', 'w', 'm'; absent means 'rwm'. */
  access?: string | undefined;
}

export interface LinuxMemory {
  limit?: number | undefined;
  reservation?: number | undefined;
  /** memory + swap (v1 semantics); -1 is unlimited. */
  swap?: number | undefined;
  kernel?: number | undefined;
  kernelTCP?: number | undefined;
  swappiness?: number | undefined;
  disableOOMKiller?: boolean | undefined;
  useHierarchy?: boolean | undefined;
  checkBeforeUpdate?: boolean | undefined;
}

export interface LinuxCpu {
  shares?: number | undefined;
  quota?: number | undefined;
  burst?: number | undefined;
  period?: number | undefined;
  realtimeRuntime?: number | undefined;
  realtimePeriod?: number | undefined;
  cpus?: string | undefined;
  mems?: string | undefined;
  idle?: number | undefined;
}

export interface LinuxPids {
  limit: number;
}

export interface LinuxWeightDevice {
  major: number;
  minor: number;
  weight?: number | undefined;
  leafWeight?: number | undefined;
}

export interface LinuxThrottleDevice {
  major: number;
  minor: number;
  rate: number;
}

export interface LinuxBlockIO {
  weight?: number | undefined;
  leafWeight?: number | undefined;
  weightDevice?: LinuxWeightDevice[] | undefined;
  throttleReadBpsDevice?: LinuxThrottleDevice[] | undefined;
  throttleWriteBpsDevice?: LinuxThrottleDevice[] | undefined;
  throttleReadIOPSDevice?: LinuxThrottleDevice[] | undefined;
  throttleWriteIOPSDevice?: LinuxThrottleDevice[] | undefined;
}

export interface LinuxHugepageLimit {
  /** '2MB', '1GB', '64KB' ... as in the hugetlb file names. */
  pageSize: string;
  limit: number;
}

export interface LinuxInterfacePriority {
  name: string;
  priority: number;
}

export interface LinuxNetwork {
  classID?: number | undefined;
  priorities?: LinuxInterfacePriority[] | undefined;
}

export interface LinuxResources {
  devices?: LinuxDeviceCgroup[] | undefined;
  memory?: LinuxMemory | undefined;
  cpu?: LinuxCpu | undefined;
  pids?: LinuxPids | undefined;
  blockIO?: LinuxBlockIO | undefined;
  hugepageLimits?: LinuxHugepageLimit[] | undefined;
  network?: LinuxNetwork | undefined;
  /** cgroup v2 only: file name → value, written as-is. */
  unified?: Record<string, string> | undefined;
}
