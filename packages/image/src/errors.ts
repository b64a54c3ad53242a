/** Stable codes of every error the image store throws (the contract's names; the API maps them to 404/409/400). */
export type ImageErrorCode =
  /** No image, tag or blob by that name. */
  | 'NOT_FOUND'
  /** The image is in use, referenced by several repositories, or a short id is ambiguous. */
  | 'CONFLICT'
  /** Bad input: a malformed reference, archive, layout, config or change. */
  | 'INVALID';

export interface ImageErrorFacts {
  /** The name, id or reference the caller gave. */
  reference?: string;
  digest?: string;
  path?: string;
  cause?: unknown;
}

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  readonly reference?: string;
  readonly digest?: string;
  readonly path?: string;

  constructor(code: ImageErrorCode, message: string, facts: ImageErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'ImageError';
    this.code = code;
    if (facts.reference !== undefined) this.reference = facts.reference;
    if (facts.digest !== undefined) this.digest = facts.digest;
    if (facts.path !== undefined) this.path = facts.path;
  }
}

export function isImageError(error: unknown, code?: ImageErrorCode): error is ImageError {
  return error instanceof ImageError && (code === undefined || error.code === code);
}
