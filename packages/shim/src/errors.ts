// Errors of the shim client: a stable `code` and what the shim said (errno name, step).
export type ShimErrorCode =
  /** the shim could not be started or refused its arguments/plan */
  | 'ELAUNCH'
  /** no shim answers in that directory */
  | 'ENOTRUNNING'
  /** the shim answered with an error (see `errno`) */
  | 'EREQUEST'
  /** the connection closed before the answer came */
  | 'EDISCONNECTED'
  /** a frame or file did not have the expected shape */
  | 'EPROTOCOL'
  /** bad argument to a client method */
  | 'EINVALID'
  /** the shim did not report or answer within the launch's timeout (it was killed) */
  | 'ETIMEOUT'
  /** a prestart or createRuntime hook failed: the container was not created */
  | 'EHOOK';

export class ShimError extends Error {
  readonly code: ShimErrorCode;
  /** errno name from the shim (ESRCH, ENOTTY ...) when it has one */
  readonly errno?: string;

  constructor(code: ShimErrorCode, message: string, errno?: string) {
    super(message);
    this.name = 'ShimError';
    this.code = code;
    if (errno) this.errno = errno;
  }
}

export function isShimError(e: unknown, code?: ShimErrorCode): e is ShimError {
  return e instanceof ShimError && (code === undefined || e.code === code);
}
