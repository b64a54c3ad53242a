/** Stable error codes of the content store; `code` never changes wording, messages may. */
export type ContentErrorCode =
  | 'ENOTFOUND'
  | 'EALREADYEXISTS'
  | 'EDIGESTMISMATCH'
  | 'ESIZEMISMATCH'
  | 'ELOCKED'
  | 'EINVALIDDIGEST'
  | 'EINVALIDREF'
  | 'ECLOSED';

export interface ContentErrorFacts {
  digest?: string;
  ref?: string;
  path?: string;
  expected?: string | number;
  actual?: string | number;
}

export class ContentError extends Error {
  readonly code: ContentErrorCode;
  readonly digest?: string;
  readonly ref?: string;
  readonly path?: string;
  readonly expected?: string | number;
  readonly actual?: string | number;

  constructor(code: ContentErrorCode, message: string, facts: ContentErrorFacts = {}) {
    super(message);
    this.name = 'ContentError';
    this.code = code;
    Object.assign(this, facts);
  }
}

export function isContentError(err: unknown, code?: ContentErrorCode): err is ContentError {
  return err instanceof ContentError && (code === undefined || err.code === code);
}
