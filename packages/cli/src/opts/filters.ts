import { CliError } from '../errors.js';

/** --filter key=value (repeatable) → docker's filter arguments. */
export function parseFilters(specs: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of specs) {
    const i = s.indexOf('=');
    if (i <= 0) throw new CliError(`bad format of filter (expected name=value)`, 125);
    const k = s.slice(0, i).trim().toLowerCase();
    out[k] = [...(out[k] ?? []), s.slice(i + 1)];
  }
  return out;
}
