import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Controller } from '../controller.js';
import { unsupported } from '../errors.js';
import { parseNestedKeyed, readOptionalCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxBlockIO, LinuxResources } from '../resources.js';
import { hasBlockIO } from '../resources.js';
import type { BlkioEntry, CgroupStats, StatsProvider } from '../stats.js';

export const IO_WEIGHT = 'io.weight';
export const IO_BFQ_WEIGHT = 'io.bfq.weight';
export const IO_MAX = 'io.max';
export const IO_STAT = 'io.stat';

const NAME = 'io';

/** OCI blkio weight (10..1000, v1's range) → io.weight (1..10000), linearly; 0 means unset. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight <= 0) return 0;
  return Math.round(1 + ((weight - 10) * 9999) / 990);
}

/**
 * io.max lines, one per device: "MAJ:MIN rbps=N wbps=N riops=N wiops=N" with only the keys that are set.
 * A rate of 0 (or none) removes that limit, which io.max spells `max`.
 */
export function ioMaxLines(b: LinuxBlockIO): string[] {
  const byDevice = new Map<string, string[]>();
  const add = (key: string, list: LinuxBlockIO['throttleReadBpsDevice']) => {
    for (const d of list ?? []) {
      const dev = `${d.major}:${d.minor}`;
      const parts = byDevice.get(dev) ?? [];
      parts.push(`${key}=${(d.rate ?? 0) === 0 ? 'max' : d.rate}`);
      byDevice.set(dev, parts);
    }
  };
  add('rbps', b.throttleReadBpsDevice);
  add('wbps', b.throttleWriteBpsDevice);
  add('riops', b.throttleReadIOPSDevice);
  add('wiops', b.throttleWriteIOPSDevice);
  return [...byDevice].map(([dev, parts]) => `${dev} ${parts.join(' ')}`);
}

export const io: Controller & StatsProvider = {
  name: NAME,
  needsToHandle(r: LinuxResources): boolean {
    return hasBlockIO(r);
  },
  apply(r: LinuxResources, dir: string): void {
    const b = r.blockIO;
    if (!b) return;
    if ((b.leafWeight ?? 0) !== 0 || b.weightDevice?.some((d) => (d.leafWeight ?? 0) !== 0)) {
      throw unsupported(NAME, IO_WEIGHT, 'leaf weights do not exist on cgroup v2');
    }
    // BFQ takes the OCI range (1..1000) as-is; io.weight (the cost model) takes 1..10000.
    const bfq = existsSync(join(dir, IO_BFQ_WEIGHT));
    if (b.weight !== undefined && b.weight !== 0) {
      if (bfq) writeCgroupFile(NAME, dir, IO_BFQ_WEIGHT, `default ${b.weight}`);
      else writeCgroupFile(NAME, dir, IO_WEIGHT, `default ${blkioWeightToIoWeight(b.weight)}`);
    }
    for (const d of b.weightDevice ?? []) {
      if (d.weight === undefined) continue;
      if (bfq) writeCgroupFile(NAME, dir, IO_BFQ_WEIGHT, `${d.major}:${d.minor} ${d.weight}`);
      else writeCgroupFile(NAME, dir, IO_WEIGHT, `${d.major}:${d.minor} ${blkioWeightToIoWeight(d.weight)}`);
    }
    // One write per device: the kernel parses one line per write.
    for (const line of ioMaxLines(b)) writeCgroupFile(NAME, dir, IO_MAX, line);
  },
  stats(dir: string, s: CgroupStats): void {
    const bytes: BlkioEntry[] = [];
    const ops: BlkioEntry[] = [];
    for (const { key, values } of parseNestedKeyed(readOptionalCgroupFile(NAME, dir, IO_STAT) ?? '')) {
      const m = /^(\d+):(\d+)$/.exec(key);
      if (!m) continue;
      const major = Number(m[1]);
      const minor = Number(m[2]);
      const push = (list: BlkioEntry[], op: string, v: number | undefined) => {
        if (v !== undefined) list.push({ major, minor, op, value: v });
      };
      push(bytes, 'Read', values.get('rbytes'));
      push(bytes, 'Write', values.get('wbytes'));
      push(bytes, 'Discard', values.get('dbytes'));
      push(ops, 'Read', values.get('rios'));
      push(ops, 'Write', values.get('wios'));
      push(ops, 'Discard', values.get('dios'));
    }
    s.blkio = { ioServiceBytesRecursive: bytes, ioServicedRecursive: ops };
  },
};
