// The OCI state of a container (runc's `state` JSON) from what is stored plus what the kernel says:
// a stored "running" whose init has exited is "stopped".
import { z } from 'zod';
import { isAlive } from './proc.js';
import { Status, type StoredState } from './store.js';

/** runc's `state` output: the OCI State plus rootfs, created and owner. */
export const State = z.object({
  ociVersion: z.string(),
  id: z.string(),
  pid: z.number().int().min(0),
  status: Status,
  bundle: z.string(),
  rootfs: z.string(),
  created: z.string(),
  owner: z.string(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type State = z.infer<typeof State>;

/** The status now: the stored one unless the init process is gone. */
export function liveStatus(s: StoredState): Status {
  if (s.status === 'creating' || s.status === 'stopped') return s.status;
  if (s.pid === 0 || !isAlive(s.pid, s.pidStartTime)) return 'stopped';
  return s.status;
}

export function toState(s: StoredState): State {
  const status = liveStatus(s);
  const state: State = {
    ociVersion: s.ociVersion,
    id: s.id,
    pid: status === 'stopped' ? 0 : s.pid,
    status,
    bundle: s.bundle,
    rootfs: s.rootfs,
    created: s.created,
    owner: '',
  };
  if (Object.keys(s.annotations).length > 0) state.annotations = s.annotations;
  return state;
}
