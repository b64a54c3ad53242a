// Docker's json-file log driver: one JSON object per line, {"log":"…\n","stream":"stdout","time":"…"},
// with size rotation (max-size, max-file: <log>, <log>.1, …), and the reader behind `docker logs`
// (since/until/tail/follow). Time stamps are RFC 3339 with nanoseconds, as Docker writes them.
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { z } from 'zod';

export const LogEntry = z.object({ log: z.string(), stream: z.enum(['stdout', 'stderr']), time: z.string() });
export type LogEntry = z.infer<typeof LogEntry>;

/** RFC 3339 with 9 fraction digits from a hrtime-anchored clock (Date has only milliseconds). */
const anchorMs = Date.now();
const anchorNs = process.hrtime.bigint();
export function nowRfc3339Nano(): string {
  const ns = BigInt(anchorMs) * 1_000_000n + (process.hrtime.bigint() - anchorNs);
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/** Nanoseconds since the epoch of an RFC 3339 time (for since/until comparisons). */
export function timeNs(t: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return 0n;
  const secs = BigInt(Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000));
  const frac = BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9) || '0');
  return secs * 1_000_000_000n + frac;
}

/** Docker's --since/--until value: unix seconds (with fraction) or an RFC 3339 time. */
export function parseLogTime(v: string | number | undefined): bigint | undefined {
  if (v === undefined || v === '' || v === 0 || v === '0') return undefined;
  const s = String(v);
  if (/^\d+(\.\d+)?$/.test(s)) {
    const [sec, frac = ''] = s.split('.');
    return BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9) || '0');
  }
  return timeNs(s);
}

export interface LogWriterOptions {
  maxSize?: number;
  maxFiles?: number;
}

export class JsonLogWriter {
  readonly path: string;
  private fd: number;
  private size: number;
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private readonly opts: LogWriterOptions;

  constructor(path: string, opts: LogWriterOptions = {}) {
    this.path = path;
    this.opts = opts;
    this.fd = openSync(path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.append({ log: `${line}\n`, stream, time: nowRfc3339Nano() });
    // Docker cuts a line at 16 KiB so one huge line never sits in memory
    if (this.partial[stream].length >= 16 * 1024) {
      this.append({ log: this.partial[stream], stream, time: nowRfc3339Nano() });
      this.partial[stream] = '';
    }
  }

  private append(entry: LogEntry): void {
    if (this.fd < 0) return;
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    if (this.opts.maxSize && this.size + line.length > this.opts.maxSize && this.size > 0) this.rotate();
    writeSync(this.fd, line);
    this.size += line.length;
  }

  private rotate(): void {
    closeSync(this.fd);
    const keep = Math.max(1, this.opts.maxFiles ?? 1);
    if (keep === 1) rmSync(this.path, { force: true });
    else {
      for (let i = keep - 1; i >= 1; i--) {
        const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
        if (existsSync(from)) renameSync(from, `${this.path}.${i}`);
      }
    }
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = 0;
  }

  /** Writes what is left of unterminated lines and closes the file. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.append({ log: this.partial[stream], stream, time: nowRfc3339Nano() });
      this.partial[stream] = '';
    }
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export interface ReadLogsOptions {
  stdout?: boolean;
  stderr?: boolean;
  /** nanoseconds since the epoch */
  since?: bigint;
  until?: bigint;
  /** last N lines (undefined: all) */
  tail?: number;
  follow?: boolean;
  /** resolves when no more output will come (the container stopped); follow ends then */
  done?: Promise<unknown>;
  signal?: AbortSignal;
  maxFiles?: number;
}

function parseLines(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = LogEntry.safeParse(JSON.parse(line));
      if (e.success) out.push(e.data);
    } catch {
      // a torn last line of a crashed writer
    }
  }
  return out;
}

function readFrom(path: string, offset: number): { text: string; end: number } {
  if (!existsSync(path)) return { text: '', end: offset };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < offset) offset = 0; // rotated under us
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    // only whole lines; the rest is read next time
    const lastNl = buf.lastIndexOf(10, got - 1);
    const whole = lastNl < 0 ? 0 : lastNl + 1;
    return { text: buf.subarray(0, whole).toString(), end: offset + whole };
  } finally {
    closeSync(fd);
  }
}

/** Reads a container's json-file log (rotated files first), then follows it when asked. */
export async function* readJsonLog(path: string, opts: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
  const wantOut = opts.stdout ?? true;
  const wantErr = opts.stderr ?? true;
  const keep = (e: LogEntry) => {
    if (e.stream === 'stdout' ? !wantOut : !wantErr) return false;
    const t = opts.since !== undefined || opts.until !== undefined ? timeNs(e.time) : 0n;
    if (opts.since !== undefined && t < opts.since) return false;
    if (opts.until !== undefined && t > opts.until) return false;
    return true;
  };
  const rotated: string[] = [];
  for (let i = Math.max(1, opts.maxFiles ?? 1) - 1; i >= 1; i--)
    if (existsSync(`${path}.${i}`)) rotated.push(`${path}.${i}`);
  let entries: LogEntry[] = [];
  for (const f of rotated) entries.push(...parseLines(readFrom(f, 0).text).filter(keep));
  const first = readFrom(path, 0);
  entries.push(...parseLines(first.text).filter(keep));
  if (opts.tail !== undefined && opts.tail >= 0) entries = opts.tail === 0 ? [] : entries.slice(-opts.tail);
  for (const e of entries) yield e;
  if (!opts.follow) return;
  let offset = first.end;
  let finished = false;
  void opts.done?.then(() => {
    finished = true;
  });
  while (!opts.signal?.aborted) {
    const wasFinished = finished;
    const next = readFrom(path, offset);
    offset = next.end;
    for (const e of parseLines(next.text)) {
      if (opts.until !== undefined && timeNs(e.time) > opts.until) return;
      if (keep(e)) yield e;
    }
    if (wasFinished) return;
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(path) && !statSafe(path)) return;
  }
}

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
