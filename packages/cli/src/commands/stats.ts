// docker stats: a live table redrawn in place (or one sample with --no-stream).
import type { ClientTypes, DockerClient } from '@berth/api';
import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { renderList } from '../output/format.js';
import { bytesSize, humanSize, shortId } from '../output/units.js';

type StatsSample = ClientTypes.StatsSample;

const HEADERS: Record<string, string> = {
  Container: 'CONTAINER',
  ID: 'CONTAINER ID',
  Name: 'NAME',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
};
const DEFAULT_TABLE =
  'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

/** The row docker shows for one sample (CPU % from the delta against precpu). */
export function statsRow(id: string, s: StatsSample | undefined, trunc: boolean) {
  const cpu = s?.cpu_stats;
  const pre = s?.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const online = cpu?.online_cpus ?? 1;
  const cpuPerc = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * online * 100 : 0;
  const mem = s?.memory_stats;
  const cache = mem?.stats?.total_inactive_file ?? mem?.stats?.inactive_file ?? 0;
  const used = Math.max(0, (mem?.usage ?? 0) - cache);
  const limit = mem?.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s?.networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  let read = 0;
  let write = 0;
  for (const e of s?.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (e.op.toLowerCase() === 'read') read += e.value;
    if (e.op.toLowerCase() === 'write') write += e.value;
  }
  const name = (s?.name ?? '').replace(/^\//, '');
  return {
    Container: id,
    ID: trunc ? shortId(s?.id ?? id) : (s?.id ?? id),
    Name: name || '--',
    CPUPerc: s ? `${cpuPerc.toFixed(2)}%` : '--',
    MemUsage: s ? `${bytesSize(used)} / ${bytesSize(limit)}` : '-- / --',
    MemPerc: s ? `${(limit > 0 ? (used / limit) * 100 : 0).toFixed(2)}%` : '--',
    NetIO: s ? `${humanSize(rx, 3)} / ${humanSize(tx, 3)}` : '--',
    BlockIO: s ? `${humanSize(read, 3)} / ${humanSize(write, 3)}` : '--',
    PIDs: s ? String(s.pids_stats?.current ?? 0) : '--',
  };
}

async function containerIds(client: DockerClient, args: string[], all: boolean): Promise<string[]> {
  if (args.length) return args;
  return (await client.containerList({ all })).map((c) => c.Id);
}

export default async function stats(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const ids = await containerIds(client, args, f.bool('all'));
  const trunc = !f.bool('no-trunc');
  const fmt = { format: f.str('format'), defaultTable: DEFAULT_TABLE, headers: HEADERS };
  if (f.bool('no-stream')) {
    const rows = [];
    for (const id of ids) {
      let sample: StatsSample | undefined;
      for await (const s of client.containerStats(id, { stream: false })) sample = s;
      rows.push(statsRow(id, sample, trunc));
    }
    ctx.io.stdout.write(renderList(rows, fmt));
    return 0;
  }
  const latest = new Map<string, StatsSample | undefined>(ids.map((id) => [id, undefined]));
  const ac = new AbortController();
  const tty = ctx.io.stdout.isTTY === true;
  const draw = () => {
    const text = renderList(
      [...latest].map(([id, s]) => statsRow(id, s, trunc)),
      fmt,
    );
    ctx.io.stdout.write(tty ? `\x1b[2J\x1b[H${text}` : text);
  };
  const readers = ids.map(async (id) => {
    try {
      for await (const s of client.containerStats(id, { stream: true, signal: ac.signal })) latest.set(id, s);
    } catch {
      // a container that stops leaves its last sample; aborting ends the stream
    }
    latest.delete(id);
  });
  const timer = setInterval(draw, 500);
  const stop = () => ac.abort();
  ctx.signals.once('SIGINT', stop);
  try {
    await Promise.all(readers);
  } finally {
    clearInterval(timer);
    ctx.signals.off('SIGINT', stop);
  }
  return 0;
}
