/** Stable error codes of the builder; `code` never changes wording, messages may. */
export type BuildErrorCode =
  | 'ESYNTAX' // the Dockerfile does not parse
  | 'EINVALID' // bad build options or instruction arguments
  | 'ENOTFOUND' // a base image, stage or context file is missing
  | 'ERUN' // a RUN step exited non-zero
  | 'EUNSUPPORTED' // something berth refuses on purpose (remote URLs in ADD, ...)
  | 'ECANCELED';

export interface BuildErrorFacts {
  /** 1-based line of the Dockerfile the error is about */
  line?: number;
  /** 1-based column */
  column?: number;
  /** the step ("Step 3/7 : RUN false") */
  step?: string;
  exitCode?: number;
  path?: string;
}

export class BuildError extends Error {
  readonly code: BuildErrorCode;
  readonly line?: number;
  readonly column?: number;
  readonly step?: string;
  readonly exitCode?: number;
  readonly path?: string;

  constructor(code: BuildErrorCode, message: string, facts: BuildErrorFacts = {}) {
    super(message);
    this.name = 'BuildError';
    this.code = code;
    Object.assign(this, facts);
  }
}

export function isBuildError(err: unknown, code?: BuildErrorCode): err is BuildError {
  return err instanceof BuildError && (code === undefined || err.code === code);
}

/** A syntax error: "Dockerfile:3:5: <message>" (line and column 1-based). */
export function syntaxError(message: string, line: number, column = 1, file = 'Dockerfile'): BuildError {
  return new BuildError('ESYNTAX', `${file}:${line}:${column}: ${message}`, { line, column });
}
