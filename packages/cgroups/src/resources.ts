// The `linux.resources` object of an OCI config.json, as @berth/oci-spec validates it. Validation of
// config.json is @berth/oci-spec's job: this package trusts the shape and checks only what the kernel needs.
export type {
  LinuxBlockIO,
  LinuxCPU,
  LinuxDeviceCgroup,
  LinuxHugepageLimit,
  LinuxMemory,
  LinuxNetwork,
  LinuxPids,
  LinuxResources,
  LinuxThrottleDevice,
  LinuxWeightDevice,
} from '@berth/oci-spec';
