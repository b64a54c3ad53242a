// Errors of the runtime: a stable `code` and the facts (container id, path, JSON path of bad input).

export type RuntimeErrorCode =
  | 'EINVALIDID'
  | 'ENOTFOUND'
  | 'EEXISTS'
  | 'EBADSTATE'
  | 'EINVALIDSPEC'
  | 'ELOCKED'
  | 'EUNSUPPORTED'
  | 'EHOOK'
  | 'ESECCOMP'
  | 'EINTERNAL';

export interface RuntimeErrorFacts {
  id?: string;
  path?: string;
  /** JSON path in config.json ('mounts[2].options[0]') */
  where?: string;
  /** the container's status when an operation does not fit it */
  status?: string;
}

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly id?: string;
  readonly path?: string;
  readonly where?: string;
  readonly status?: string;

  constructor(
    code: RuntimeErrorCode,
    message: string,
    facts: RuntimeErrorFacts = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
    if (facts.id !== undefined) this.id = facts.id;
    if (facts.path !== undefined) this.path = facts.path;
    if (facts.where !== undefined) this.where = facts.where;
    if (facts.status !== undefined) this.status = facts.status;
  }
}

/** Bad config.json: names the JSON path. */
export function specError(where: string, message: string): RuntimeError {
  return new RuntimeError('EINVALIDSPEC', `${where}: ${message}`, { where });
}

export function isRuntimeError(e: unknown): e is RuntimeError {
  return e instanceof RuntimeError;
}
