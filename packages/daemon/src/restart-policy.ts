// Restart policies (moby restartmanager): whether a container that exited is started again, and
// after how long. The delay starts at 100 ms and doubles per restart, up to a minute; a container
// that ran for 10 s or more counts as healthy and resets the delay.
import { invalid } from './errors.js';
import type { RestartPolicy } from './types.js';

export const MIN_DELAY_MS = 100;
export const MAX_DELAY_MS = 60_000;
const HEALTHY_RUN_MS = 10_000;

export function validateRestartPolicy(policy: RestartPolicy | null | undefined, autoRemove: boolean): void {
  const name = policy?.Name ?? '';
  const max = policy?.MaximumRetryCount ?? 0;
  if (max < 0) throw invalid('invalid restart policy: maximum retry count cannot be negative');
  if (max > 0 && name !== 'on-failure')
    throw invalid(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  if (autoRemove && name !== '' && name !== 'no')
    throw invalid(`can't create 'AutoRemove' container with restart policy`);
}

export interface ExitFacts {
  exitCode: number;
  /** stopped by `docker stop`/`kill`/daemon request */
  manuallyStopped: boolean;
  /** restarts so far */
  restartCount: number;
  /** the daemon is shutting down */
  shuttingDown: boolean;
}

export function shouldRestart(policy: RestartPolicy | null | undefined, facts: ExitFacts): boolean {
  if (facts.manuallyStopped || facts.shuttingDown) return false;
  switch (policy?.Name ?? '') {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure': {
      const max = policy?.MaximumRetryCount ?? 0;
      return facts.exitCode !== 0 && (max === 0 || facts.restartCount < max);
    }
    default:
      return false;
  }
}

/** The delay before the next restart, given the previous delay and how long the container ran. */
export function nextDelay(previousMs: number, ranForMs: number): number {
  if (ranForMs >= HEALTHY_RUN_MS || previousMs === 0) return MIN_DELAY_MS;
  return Math.min(previousMs * 2, MAX_DELAY_MS);
}

/** On daemon start: which stopped containers a policy brings back (`unless-stopped` respects a stop). */
export function restartOnDaemonStart(
  policy: RestartPolicy | null | undefined,
  manuallyStopped: boolean,
  exitCode: number,
): boolean {
  switch (policy?.Name ?? '') {
    case 'always':
      return true;
    case 'unless-stopped':
      return !manuallyStopped;
    case 'on-failure':
      return !manuallyStopped && exitCode !== 0;
    default:
      return false;
  }
}
