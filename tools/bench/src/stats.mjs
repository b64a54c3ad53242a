// Small shared helpers for benchmark scripts: repeat a measurement, summarise, print ratio tables.
import { performance } from 'node:perf_hooks';

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns durations in milliseconds. */
export async function measure(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Prints one row per subject: median time and its ratio to `baseline` (a subject's name).
 * `rows` is [{ name, times, note? }]; subjects that could not run carry `skipped: reason`.
 */
export function printRatios(title, rows, baseline) {
  const base = rows.find((row) => row.name === baseline && row.times);
  const baseMedian = base ? median(base.times) : undefined;
  console.log(title);
  for (const row of rows) {
    if (!row.times) {
      console.log(`  ${row.name.padEnd(28)} skipped: ${row.skipped}`);
      continue;
    }
    const m = median(row.times);
    const ratio = baseMedian ? ` ${(m / baseMedian).toFixed(2)}x ${baseline}` : '';
    console.log(
      `  ${row.name.padEnd(28)} ${m.toFixed(2).padStart(9)} ms${ratio}${row.note ? `  (${row.note})` : ''}`,
    );
  }
}
