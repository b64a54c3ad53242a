/** Stable error codes of @berth/overlay; `code` never changes wording, messages may. */
export type OverlayErrorCode =
  /** A layer entry would write outside the root (`../`, absolute path, symlink escaping the root). */
  | 'EBREAKOUT'
  /** The layer tar is malformed (bad checksum, truncated, unsupported entry type). */
  | 'EBADLAYER'
  /** The uncompressed layer is not the DiffID it was expected to be. */
  | 'EDIGESTMISMATCH'
  | 'ENOTFOUND'
  | 'EALREADYEXISTS'
  /** The snapshot is in the wrong state for the operation (commit of a committed one, view written to). */
  | 'EFAILEDPRECONDITION'
  /** A parent still has children. */
  | 'EHASCHILDREN'
  | 'EINVALIDARGUMENT';

export interface OverlayErrorFacts {
  path?: string;
  entry?: string;
  key?: string;
  syscall?: string;
  errno?: string;
}

export class OverlayError extends Error {
  readonly code: OverlayErrorCode;
  readonly path?: string;
  readonly entry?: string;
  readonly key?: string;
  readonly syscall?: string;
  readonly errno?: string;

  constructor(code: OverlayErrorCode, message: string, facts: OverlayErrorFacts = {}) {
    super(message);
    this.name = 'OverlayError';
    this.code = code;
    Object.assign(this, facts);
  }
}

export function isOverlayError(err: unknown, code?: OverlayErrorCode): err is OverlayError {
  return err instanceof OverlayError && (code === undefined || err.code === code);
}
