import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupError } from './errors.js';

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/**
 * Writes `value` to `dir/file` the way cgroupfs expects: one write(2) of the whole value, O_WRONLY|O_TRUNC and
 * never O_CREAT (a missing file means the host lacks the knob, which must be an error, not a new regular file).
 * Node opens every fd with O_CLOEXEC already.
 */
export function writeCgroupFile(controller: string, dir: string, file: string, value: string | number): void {
  const path = join(dir, file);
  const text = String(value);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC);
  } catch (e) {
    throw fileError(controller, path, 'open', text, e);
  }
  try {
    writeSync(fd, text);
  } catch (e) {
    throw fileError(controller, path, 'write', text, e);
  } finally {
    closeSync(fd);
  }
}

/** Reads `dir/file` (trailing newline kept off). */
export function readCgroupFile(controller: string, dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8').replace(/\n$/, '');
  } catch (e) {
    throw fileError(controller, path, 'read', undefined, e);
  }
}

/** Like readCgroupFile, but `undefined` when the file does not exist (an optional knob). */
export function readOptionalCgroupFile(controller: string, dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8').replace(/\n$/, '');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'EOPNOTSUPP') return undefined;
    throw fileError(controller, join(dir, file), 'read', undefined, e);
  }
}

export function fileError(
  controller: string,
  path: string,
  syscall: string,
  value: string | undefined,
  cause: unknown,
): CgroupError {
  const errno = errnoOf(cause) ?? 'EIO';
  const what = value === undefined ? '' : ` ${JSON.stringify(value)}`;
  const msg = `${controller}: ${syscall}${what} ${path}: ${errno}${cause instanceof Error ? ` (${cause.message})` : ''}`;
  return new CgroupError(
    'ECGROUPFILE',
    msg,
    { controller, file: path, errno, syscall, ...(value === undefined ? {} : { value }) },
    { cause },
  );
}

/** Parses a number written by cgroupfs; `max` (v2) becomes `undefined` for "no limit". */
export function parseUint(text: string): number | undefined {
  const t = text.trim();
  if (t === 'max' || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** "key value" lines (memory.stat, cpu.stat, memory.events, pids.events) into a map. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) {
      const n = Number(v);
      if (Number.isFinite(n)) out.set(k, n);
    }
  }
  return out;
}

/** "MAJ:MIN key=value key=value" lines (io.stat) into entries. */
export function parseNestedKeyed(text: string): Array<{ key: string; values: Map<string, number> }> {
  const out: Array<{ key: string; values: Map<string, number> }> = [];
  for (const line of text.split('\n')) {
    const [key, ...pairs] = line.trim().split(/\s+/);
    if (!key) continue;
    const values = new Map<string, number>();
    for (const p of pairs) {
      const i = p.indexOf('=');
      if (i > 0) {
        const n = Number(p.slice(i + 1));
        if (Number.isFinite(n)) values.set(p.slice(0, i), n);
      }
    }
    out.push({ key, values });
  }
  return out;
}
