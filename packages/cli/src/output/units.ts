// docker/go-units: sizes and durations as docker prints them.

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Go's %.Ng: N significant digits, trailing zeros dropped. */
function gN(v: number, precision: number): string {
  return String(Number(v.toPrecision(precision)));
}

function custom(size: number, base: number, units: string[], precision = 4): string {
  let i = 0;
  let v = size;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${gN(v, precision)}${units[i]}`;
}

/** HumanSize: decimal units (kB, MB …), 4 significant digits: "1.23MB". */
export function humanSize(bytes: number, precision = 4): string {
  return custom(bytes, 1000, DECIMAL, precision);
}

/** BytesSize: binary units (KiB, MiB …): "1.5GiB". */
export function bytesSize(bytes: number): string {
  return custom(bytes, 1024, BINARY);
}

/** HumanDuration: "Less than a second", "5 seconds", "About a minute", "3 hours", "2 weeks" … */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)} years`;
}

const RAM_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * RAMInBytes: "512m", "1g", "1.5GB", "1024" (bytes) → bytes, binary multiples as docker does.
 * Returns an error text instead of throwing so callers can name the flag.
 */
export function ramInBytes(text: string): number | string {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) {
    const suffix = /^[\d.]+ ?(.*)$/.exec(text);
    return suffix?.[1] ? `invalid suffix: '${suffix[1]}'` : `invalid size: '${text}'`;
  }
  const n = Number.parseFloat(m[1]!);
  const mult = m[2] ? RAM_UNITS[m[2].toLowerCase()]! : 1;
  return Math.trunc(n * mult);
}

/** Truncates to n characters with docker's ellipsis. */
export function ellipsis(s: string, n: number): string {
  const chars = [...s];
  if (chars.length <= n) return s;
  return `${chars.slice(0, n - 1).join('')}…`;
}

/** A short id: without the algorithm, 12 hex characters. */
export function shortId(id: string): string {
  const i = id.indexOf(':');
  return (i >= 0 ? id.slice(i + 1) : id).slice(0, 12);
}
