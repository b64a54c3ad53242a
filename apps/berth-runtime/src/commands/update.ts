// update: new resources from --resources (a linux.resources JSON file, '-' for stdin) and flags.
import { readFileSync } from 'node:fs';
import type { Globals } from '../globals.js';
import { num, str } from '../globals.js';

export interface UpdateFlags {
  resources?: unknown;
  memory?: unknown;
  memorySwap?: unknown;
  memoryReservation?: unknown;
  cpuShares?: unknown;
  cpuQuota?: unknown;
  cpuPeriod?: unknown;
  cpusetCpus?: unknown;
  cpusetMems?: unknown;
  pidsLimit?: unknown;
  blkioWeight?: unknown;
}

export default async function update(g: Globals, id: string, flags: UpdateFlags): Promise<void> {
  const file = str(flags.resources);
  const r: Record<string, Record<string, unknown>> = file
    ? (JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as Record<string, Record<string, unknown>>)
    : {};
  const set = (group: string, key: string, v: unknown) => {
    if (v === undefined) return;
    r[group] ??= {};
    r[group][key] = v;
  };
  set('memory', 'limit', num(flags.memory));
  set('memory', 'swap', num(flags.memorySwap));
  set('memory', 'reservation', num(flags.memoryReservation));
  set('cpu', 'shares', num(flags.cpuShares));
  set('cpu', 'quota', num(flags.cpuQuota));
  set('cpu', 'period', num(flags.cpuPeriod));
  set('cpu', 'cpus', str(flags.cpusetCpus));
  set('cpu', 'mems', str(flags.cpusetMems));
  set('pids', 'limit', num(flags.pidsLimit));
  set('blockIO', 'weight', num(flags.blkioWeight));
  await (await g.runtime()).update(id, r as Parameters<Awaited<ReturnType<Globals['runtime']>>['update']>[1]);
}
