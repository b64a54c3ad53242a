import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxResources, LinuxThrottleDevice } from '../resources.js';
import { hasBlockIO } from '../resources.js';
import type { BlkioEntry, CgroupStats, StatsProvider } from '../stats.js';

export const BLKIO_WEIGHT = 'blkio.weight';
export const BLKIO_BFQ_WEIGHT = 'blkio.bfq.weight';
export const BLKIO_LEAF_WEIGHT = 'blkio.leaf_weight';
export const BLKIO_WEIGHT_DEVICE = 'blkio.weight_device';
export const BLKIO_BFQ_WEIGHT_DEVICE = 'blkio.bfq.weight_device';
export const BLKIO_LEAF_WEIGHT_DEVICE = 'blkio.leaf_weight_device';
export const BLKIO_THROTTLE_READ_BPS = 'blkio.throttle.read_bps_device';
export const BLKIO_THROTTLE_WRITE_BPS = 'blkio.throttle.write_bps_device';
export const BLKIO_THROTTLE_READ_IOPS = 'blkio.throttle.read_iops_device';
export const BLKIO_THROTTLE_WRITE_IOPS = 'blkio.throttle.write_iops_device';
export const BLKIO_IO_SERVICE_BYTES = 'blkio.io_service_bytes_recursive';
export const BLKIO_IO_SERVICED = 'blkio.io_serviced_recursive';
export const BLKIO_BFQ_IO_SERVICE_BYTES = 'blkio.bfq.io_service_bytes_recursive';
export const BLKIO_BFQ_IO_SERVICED = 'blkio.bfq.io_serviced_recursive';
export const BLKIO_THROTTLE_IO_SERVICE_BYTES = 'blkio.throttle.io_service_bytes_recursive';
export const BLKIO_THROTTLE_IO_SERVICED = 'blkio.throttle.io_serviced_recursive';

const NAME = 'blkio';

/** CFQ's blkio.weight when the kernel has it, else BFQ's (same 10..1000 range), else the host cannot honour it. */
function weightFile(dir: string, cfq: string, bfq: string): string {
  if (existsSync(join(dir, cfq))) return cfq;
  if (existsSync(join(dir, bfq))) return bfq;
  throw unsupported(NAME, cfq, 'no proportional-weight I/O scheduler (CFQ or BFQ) on this host');
}

function writeThrottle(dir: string, file: string, list: LinuxThrottleDevice[] | undefined): void {
  // One write per device: the kernel parses one "MAJ:MIN VALUE" rule per write; 0 (or no rate) removes it.
  for (const d of list ?? []) writeCgroupFile(NAME, dir, file, `${d.major}:${d.minor} ${d.rate ?? 0}`);
}

/** "MAJ:MIN Op value" lines; the final "Total N" line has no device and is skipped. */
export function parseBlkioFile(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, op, value] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m || op === undefined || value === undefined) continue;
    out.push({ major: Number(m[1]), minor: Number(m[2]), op, value: Number(value) });
  }
  return out;
}

export const blkio: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    return hasBlockIO(r);
  },
  apply(r: LinuxResources, dir: string): void {
    const b = r.blockIO;
    if (!b) return;
    if (b.weight !== undefined && b.weight !== 0) {
      writeCgroupFile(NAME, dir, weightFile(dir, BLKIO_WEIGHT, BLKIO_BFQ_WEIGHT), b.weight);
    }
    if (b.leafWeight !== undefined && b.leafWeight !== 0) {
      writeCgroupFile(NAME, dir, BLKIO_LEAF_WEIGHT, b.leafWeight);
    }
    for (const d of b.weightDevice ?? []) {
      if (d.weight !== undefined) {
        const file = weightFile(dir, BLKIO_WEIGHT_DEVICE, BLKIO_BFQ_WEIGHT_DEVICE);
        writeCgroupFile(NAME, dir, file, `${d.major}:${d.minor} ${d.weight}`);
      }
      if (d.leafWeight !== undefined) {
        writeCgroupFile(NAME, dir, BLKIO_LEAF_WEIGHT_DEVICE, `${d.major}:${d.minor} ${d.leafWeight}`);
      }
    }
    writeThrottle(dir, BLKIO_THROTTLE_READ_BPS, b.throttleReadBpsDevice);
    writeThrottle(dir, BLKIO_THROTTLE_WRITE_BPS, b.throttleWriteBpsDevice);
    writeThrottle(dir, BLKIO_THROTTLE_READ_IOPS, b.throttleReadIOPSDevice);
    writeThrottle(dir, BLKIO_THROTTLE_WRITE_IOPS, b.throttleWriteIOPSDevice);
  },
  stats(dir: string, s: CgroupStats): void {
    // As Docker does: the scheduler's own counters when it has any (CFQ, then BFQ), else the throttle layer's.
    for (const [bytes, ops] of [
      [BLKIO_IO_SERVICE_BYTES, BLKIO_IO_SERVICED],
      [BLKIO_BFQ_IO_SERVICE_BYTES, BLKIO_BFQ_IO_SERVICED],
      [BLKIO_THROTTLE_IO_SERVICE_BYTES, BLKIO_THROTTLE_IO_SERVICED],
    ] as const) {
      const b = parseBlkioFile(readOptionalCgroupFile(NAME, dir, bytes) ?? '');
      const o = parseBlkioFile(readOptionalCgroupFile(NAME, dir, ops) ?? '');
      if (b.length > 0 || o.length > 0 || bytes === BLKIO_THROTTLE_IO_SERVICE_BYTES) {
        s.blkio = { ioServiceBytesRecursive: b, ioServicedRecursive: o };
        return;
      }
    }
  },
};
