// Facts about this host for `docker info`, `top` and `stats` (from /proc and /etc).
import { readdirSync, readFileSync } from 'node:fs';

export function readFileOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

export function safeCount(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

export function osName(): string {
  const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileOr('/etc/os-release', ''));
  return m?.[1] ?? 'Linux';
}

export function bootTimeSec(): number {
  const m = /^btime (\d+)/m.exec(readFileOr('/proc/stat', ''));
  return Number(m?.[1] ?? 0);
}

export function systemCpuNs(): number {
  const line = readFileOr('/proc/stat', '').split('\n')[0] ?? '';
  const ticks = line
    .split(/\s+/)
    .slice(1, 8)
    .reduce((a, b) => a + Number(b || 0), 0);
  return Math.round((ticks * 1e9) / 100);
}
