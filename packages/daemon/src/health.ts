// Docker's HEALTHCHECK: a probe command exec'd in the running container every Interval (StartInterval
// during StartPeriod), killed after Timeout; Retries failures in a row make it unhealthy, one success
// healthy. State.Health keeps the last 5 results, as dockerd does.
import type { ContainerRecord } from './types.js';

const NS = 1_000_000;
export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 3;
const MAX_LOG = 5;
const MAX_OUTPUT = 4096;

export interface Probe {
  /** the argv to exec; undefined: no health check */
  args: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  startIntervalMs: number;
}

/** The probe of a container's config, or undefined for none (no HEALTHCHECK or NONE). */
export function probeOf(rec: ContainerRecord): Probe | undefined {
  const hc = rec.Config.Healthcheck;
  const test = hc?.Test ?? [];
  if (!hc || test.length === 0 || test[0] === 'NONE') return undefined;
  let args: string[];
  if (test[0] === 'CMD') args = test.slice(1);
  else if (test[0] === 'CMD-SHELL')
    args = [...(rec.Config.Shell?.length ? rec.Config.Shell : ['/bin/sh', '-c']), test.slice(1).join(' ')];
  else return undefined;
  if (args.length === 0) return undefined;
  const ms = (ns: number | null | undefined, d: number) =>
    ns && ns > 0 ? Math.max(1, Math.round(ns / NS)) : d;
  const interval = ms(hc.Interval, DEFAULT_INTERVAL_MS);
  return {
    args,
    intervalMs: interval,
    timeoutMs: ms(hc.Timeout, DEFAULT_TIMEOUT_MS),
    retries: hc.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES,
    startPeriodMs: ms(hc.StartPeriod, 0),
    startIntervalMs: ms((hc as { StartInterval?: number }).StartInterval, interval),
  };
}

export interface ProbeResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** Folds one result into State.Health; returns the status change, if any. */
export function recordProbe(
  rec: ContainerRecord,
  result: ProbeResult,
  probe: Probe,
  inStartPeriod: boolean,
): string | undefined {
  const health = rec.State.Health ?? { Status: 'starting' as const, FailingStreak: 0, Log: [] };
  const before = health.Status;
  health.Log = [...health.Log, { ...result, Output: result.Output.slice(0, MAX_OUTPUT) }].slice(-MAX_LOG);
  if (result.ExitCode === 0) {
    health.FailingStreak = 0;
    health.Status = 'healthy';
  } else if (!(inStartPeriod && health.Status === 'starting')) {
    // failures during the start period do not count until the first success
    health.FailingStreak++;
    if (health.FailingStreak >= probe.retries) health.Status = 'unhealthy';
  }
  rec.State.Health = health;
  return health.Status !== before ? health.Status : undefined;
}
