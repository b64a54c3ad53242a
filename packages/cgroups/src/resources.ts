// The `linux.resources` object of an OCI config.json, as @berth/oci-spec validates it. Validation of
// config.json is @berth/oci-spec's job: this package trusts the shape and checks only what the kernel needs.
import type { LinuxResources } from '@berth/oci-spec';

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

/** Whether `blockIO` asks for anything: the same question for v1 blkio and v2 io. */
export function hasBlockIO(r: LinuxResources): boolean {
  const b = r.blockIO;
  if (!b) return false;
  return (
    b.weight !== undefined ||
    b.leafWeight !== undefined ||
    [
      b.weightDevice,
      b.throttleReadBpsDevice,
      b.throttleWriteBpsDevice,
      b.throttleReadIOPSDevice,
      b.throttleWriteIOPSDevice,
    ].some((list) => (list?.length ?? 0) > 0)
  );
}

/** Whether `cpu` asks for anything: the same question for v1 and v2. */
export function hasCpu(r: LinuxResources): boolean {
  const c = r.cpu;
  if (!c) return false;
  return [c.shares, c.quota, c.period, c.burst, c.realtimePeriod, c.realtimeRuntime, c.idle].some(
    (v) => v !== undefined,
  );
}
