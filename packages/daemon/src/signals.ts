// Signal names and numbers as Docker accepts them: "SIGTERM", "TERM", "15".
import { constants } from 'node:os';
import { invalid } from './errors.js';

const SIGNALS = constants.signals as Record<string, number>;

export function parseSignal(sig: string | number | undefined | null, fallback = 'SIGTERM'): number {
  const s = sig === undefined || sig === null || sig === '' ? fallback : String(sig);
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1 || n > 64) throw invalid(`Invalid signal: ${s}`);
    return n;
  }
  const up = s.toUpperCase();
  const n = SIGNALS[up.startsWith('SIG') ? up : `SIG${up}`];
  if (n === undefined) throw invalid(`Invalid signal: ${s}`);
  return n;
}
