import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { bpfProgAttach, bpfProgDetach, bpfProgLoad, constants } from '@berth/native';
import { fileError } from '../fs.js';
import type { LinuxDeviceCgroup } from '../resources.js';
import { deviceFilterProgram, encodeProgram } from './devices-bpf.js';

const NAME = 'devices';

/** An attached device program; keep it to replace or detach the program later. */
export interface AttachedDeviceFilter {
  progFd: number;
  detach(): void;
}

/**
 * Loads the device program for `rules` and attaches it to the cgroup directory `dir` with
 * BPF_F_ALLOW_MULTI, then detaches `previous` (so there is no window without a filter). The kernel keeps
 * the program attached for the cgroup's lifetime even after these fds are closed.
 */
export function attachDeviceFilter(
  dir: string,
  rules: readonly LinuxDeviceCgroup[],
  previous?: AttachedDeviceFilter,
): AttachedDeviceFilter {
  const insns = encodeProgram(deviceFilterProgram(rules));
  let dirFd: number;
  try {
    dirFd = openSync(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  } catch (e) {
    throw fileError(NAME, dir, 'open', undefined, e);
  }
  try {
    let progFd: number;
    try {
      progFd = bpfProgLoad(constants.BPF_PROG_TYPE_CGROUP_DEVICE!, insns, 'Apache-2.0');
    } catch (e) {
      throw fileError(NAME, dir, 'bpf(BPF_PROG_LOAD)', undefined, e);
    }
    try {
      bpfProgAttach(progFd, dirFd, constants.BPF_CGROUP_DEVICE!, constants.BPF_F_ALLOW_MULTI!);
    } catch (e) {
      closeSync(progFd);
      throw fileError(NAME, dir, 'bpf(BPF_PROG_ATTACH)', undefined, e);
    }
    previous?.detach();
    const attached: AttachedDeviceFilter = {
      progFd,
      detach() {
        let fd: number;
        try {
          fd = openSync(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
        } catch {
          // The cgroup is gone, and the program went with it: nothing left to detach.
          closeSync(progFd);
          return;
        }
        try {
          bpfProgDetach(progFd, fd, constants.BPF_CGROUP_DEVICE!);
        } catch (e) {
          throw fileError(NAME, dir, 'bpf(BPF_PROG_DETACH)', undefined, e);
        } finally {
          closeSync(fd);
          closeSync(progFd);
        }
      },
    };
    return attached;
  } finally {
    closeSync(dirFd);
  }
}
