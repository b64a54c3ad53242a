/**
 * A failed system call, shaped like Node's fs errors: `code` is the errno name ('ENOENT'),
 * `errno` its number, `syscall` the call ('mount'), `path`/`dest` the paths that matter.
 */
export class SyscallError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly path?: string;
  readonly dest?: string;

  constructor(message: string, code: string, errno: number, syscall: string, path?: string, dest?: string) {
    super(message);
    this.name = 'SyscallError';
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
    if (path !== undefined) this.path = path;
    if (dest !== undefined) this.dest = dest;
  }
}

export function isSyscallError(e: unknown, code?: string): e is SyscallError {
  return e instanceof SyscallError && (code === undefined || e.code === code);
}
