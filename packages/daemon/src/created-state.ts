// The state of a container that was created and never started, as Docker reports it.
import type { ContainerState } from './types.js';

/** Docker's "never": Go's zero time, in StartedAt/FinishedAt of a container that has not run. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function createdState(): ContainerState {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}
