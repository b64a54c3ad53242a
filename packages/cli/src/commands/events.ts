import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { parseFilters } from '../opts/filters.js';
import { renderOne } from '../output/format.js';

/** docker's --since/--until: a timestamp, unix seconds, or a duration ago ("10m"). */
export function eventTime(v: string | undefined, now = Date.now()): string | undefined {
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return v;
  const d = /^(\d+)(ms|s|m|h)$/.exec(v);
  if (d) {
    const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[d[2] as 'ms' | 's' | 'm' | 'h'];
    return String(Math.floor((now - Number(d[1]) * mult) / 1000));
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : String(Math.floor(t / 1000));
}

/** RFC 3339 with nanoseconds from a decimal count of nanoseconds (digits kept exact). */
export function eventTimestamp(nanos: string): string {
  const digits = nanos.padStart(10, '0');
  const seconds = Number(digits.slice(0, -9));
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, `.${digits.slice(-9)}Z`);
}

export default async function events(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const ac = new AbortController();
  const stop = () => ac.abort();
  ctx.signals.once('SIGINT', stop);
  try {
    for await (const e of client.events({
      since: eventTime(f.str('since')),
      until: eventTime(f.str('until')),
      filters: parseFilters(f.list('filter')),
      signal: ac.signal,
    })) {
      const format = f.str('format');
      if (format) {
        ctx.io.stdout.write(renderOne(e, format));
        continue;
      }
      const ts = eventTimestamp(e.timeNanoText ?? String(Math.round(e.timeNano ?? (e.time ?? 0) * 1e9)));
      const attrs = Object.entries(e.Actor?.Attributes ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      ctx.io.stdout.write(
        `${ts} ${e.Type ?? ''} ${e.Action ?? ''} ${e.Actor?.ID ?? ''}${attrs ? ` (${attrs})` : ''}\n`,
      );
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    ctx.signals.off('SIGINT', stop);
  }
  return 0;
}
