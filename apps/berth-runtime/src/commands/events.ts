// events: with --stats one stats event; otherwise a stream of stats every --interval plus OOM and
// pids-limit events, one JSON object per line ({"type","id","data"}), as runc.
import type { Globals } from '../globals.js';

export default async function events(
  g: Globals,
  id: string,
  flags: { stats?: unknown; interval?: unknown },
): Promise<void> {
  const rt = await g.runtime();
  const emit = (type: string, data: unknown) =>
    process.stdout.write(`${JSON.stringify({ type, id, data })}\n`);
  if (flags.stats === true) {
    emit('stats', rt.ociStats(id));
    return;
  }
  const interval = parseInterval(flags.interval);
  const ac = new AbortController();
  const timer = setInterval(() => {
    try {
      if (rt.state(id).status === 'stopped') ac.abort();
      else emit('stats', rt.ociStats(id));
    } catch {
      ac.abort();
    }
  }, interval);
  try {
    for await (const e of rt.events(id, ac.signal)) emit(e.type === 'oom' ? 'oom' : e.type, e);
  } finally {
    clearInterval(timer);
  }
}

function parseInterval(v: unknown): number {
  if (v === undefined) return 5000;
  const m = /^(\d+)(ms|s|m)?$/.exec(String(v));
  if (!m) return 5000;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}
