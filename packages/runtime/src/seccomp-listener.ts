// linux.seccomp.listenerPath: the engine hands the runtime the notify listener fd of a filter with
// SCMP_ACT_NOTIFY rules; the runtime passes it on to the agent listening at listenerPath with the
// container's state (the runtime spec's containerProcessState, as runc sends it).
import { closeSync } from 'node:fs';
import { sendFds, unixConnect } from '@berth/native';
import { RuntimeError } from './errors.js';
import type { State } from './state.js';

export interface ContainerProcessState {
  ociVersion: string;
  fds: string[];
  pid: number;
  metadata: string;
  state: State;
}

/** Sends the listener fd (and closes our copy) to the seccomp agent at `path`. */
export function sendSeccompListener(
  path: string,
  metadata: string | undefined,
  fd: number,
  state: State,
): void {
  const message: ContainerProcessState = {
    ociVersion: state.ociVersion,
    fds: ['seccompFd'],
    pid: state.pid,
    metadata: metadata ?? '',
    state,
  };
  try {
    const sock = unixConnect(path);
    try {
      sendFds(sock, [fd], Buffer.from(JSON.stringify(message)));
    } finally {
      closeSync(sock);
    }
  } catch (e) {
    throw new RuntimeError(
      'ESECCOMP',
      `cannot hand the seccomp listener to ${path}: ${(e as Error).message}`,
      {
        path,
        where: 'linux.seccomp.listenerPath',
      },
    );
  } finally {
    closeSync(fd);
  }
}
