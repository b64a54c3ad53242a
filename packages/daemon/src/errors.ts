// Errors of the daemon: a stable `code` and the HTTP status the Engine API answers with, so the API
// layer maps them without knowing the daemon (it reads `statusCode`).

export type DaemonErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID'
  | 'NOT_MODIFIED'
  | 'FORBIDDEN'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';

const STATUS: Record<DaemonErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID: 400,
  NOT_MODIFIED: 304,
  FORBIDDEN: 403,
  NOT_IMPLEMENTED: 501,
  INTERNAL: 500,
};

export class DaemonError extends Error {
  readonly code: DaemonErrorCode;
  readonly statusCode: number;
  constructor(code: DaemonErrorCode, message: string) {
    super(message);
    this.name = 'DaemonError';
    this.code = code;
    this.statusCode = STATUS[code];
  }
}

export const notFound = (message: string): DaemonError => new DaemonError('NOT_FOUND', message);
export const conflict = (message: string): DaemonError => new DaemonError('CONFLICT', message);
export const invalid = (message: string): DaemonError => new DaemonError('INVALID', message);

export function isDaemonError(e: unknown, code?: DaemonErrorCode): e is DaemonError {
  return e instanceof DaemonError && (code === undefined || e.code === code);
}

/** The HTTP status an error from any layer maps to (errors of other packages carry a code or statusCode). */
export function statusOf(e: unknown): number {
  if (e && typeof e === 'object') {
    const o = e as { statusCode?: unknown; code?: unknown };
    if (typeof o.statusCode === 'number') return o.statusCode;
    if (o.code === 'NOT_FOUND') return 404;
    if (o.code === 'CONFLICT' || o.code === 'ALREADY_EXISTS') return 409;
    if (o.code === 'INVALID' || o.code === 'INVALID_ARGUMENT') return 400;
  }
  return 500;
}
