/** Stable codes of every error this package throws. */
export type CgroupErrorCode =
  /** A cgroup file could not be read or written (the kernel refused the value, or it is missing). */
  | 'ECGROUPFILE'
  /** A resource value is invalid or cannot be expressed on this cgroup version. */
  | 'ECGROUPUNSUPPORTED'
  /** `cgroupsPath` could not be parsed (bad systemd slice, `..` components, ...). */
  | 'ECGROUPPATH'
  /** The host's cgroup layout could not be found in /proc/self/mountinfo. */
  | 'ECGROUPLAYOUT'
  /** Tasks remained in the cgroup after every retry of destroy/killAll/freeze. */
  | 'ECGROUPBUSY';

export interface CgroupErrorFacts {
  /** The controller concerned ('memory', 'cpu', ...), when there is one. */
  controller?: string;
  /** The cgroup file (absolute path) concerned, when there is one. */
  file?: string;
  /** errno name of the underlying system call ('EINVAL'), when there was one. */
  errno?: string;
  /** The system call that failed ('write', 'rmdir'), when there was one. */
  syscall?: string;
  /** The value that was being written, when there was one. */
  value?: string;
}

/** Every error thrown by @berth/cgroups: a stable `code` plus the controller, file and errno involved. */
export class CgroupError extends Error {
  readonly code: CgroupErrorCode;
  readonly controller?: string;
  readonly file?: string;
  readonly errno?: string;
  readonly syscall?: string;
  readonly value?: string;

  constructor(code: CgroupErrorCode, message: string, facts: CgroupErrorFacts = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CgroupError';
    this.code = code;
    if (facts.controller !== undefined) this.controller = facts.controller;
    if (facts.file !== undefined) this.file = facts.file;
    if (facts.errno !== undefined) this.errno = facts.errno;
    if (facts.syscall !== undefined) this.syscall = facts.syscall;
    if (facts.value !== undefined) this.value = facts.value;
  }
}

/** A value the host (or this cgroup version) cannot honour, named by controller and file. */
export function unsupported(controller: string, file: string, message: string): CgroupError {
  return new CgroupError('ECGROUPUNSUPPORTED', `${controller}: ${file}: ${message}`, { controller, file });
}

export function isCgroupError(e: unknown, code?: CgroupErrorCode): e is CgroupError {
  return e instanceof CgroupError && (code === undefined || e.code === code);
}
