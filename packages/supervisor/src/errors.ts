// Errors of the supervisor: a stable `code` named after the gRPC status it travels as, and the facts
// (namespace, id, what was wrong). Errors of the layers below are translated here, once.

export type SupervisorErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface SupervisorErrorFacts {
  namespace?: string;
  id?: string;
  /** where bad input was (a field name or JSON path) */
  where?: string;
}

export class SupervisorError extends Error {
  readonly code: SupervisorErrorCode;
  readonly namespace?: string;
  readonly id?: string;
  readonly where?: string;

  constructor(
    code: SupervisorErrorCode,
    message: string,
    facts: SupervisorErrorFacts = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SupervisorError';
    this.code = code;
    if (facts.namespace !== undefined) this.namespace = facts.namespace;
    if (facts.id !== undefined) this.id = facts.id;
    if (facts.where !== undefined) this.where = facts.where;
  }
}

export function isSupervisorError(e: unknown, code?: SupervisorErrorCode): e is SupervisorError {
  return e instanceof SupervisorError && (code === undefined || e.code === code);
}

export const notFound = (what: string, ns: string, id: string): SupervisorError =>
  new SupervisorError('NOT_FOUND', `${what} "${id}" not found in namespace "${ns}"`, { namespace: ns, id });

export const alreadyExists = (what: string, ns: string, id: string): SupervisorError =>
  new SupervisorError('ALREADY_EXISTS', `${what} "${id}" already exists in namespace "${ns}"`, {
    namespace: ns,
    id,
  });

export const invalid = (where: string, message: string): SupervisorError =>
  new SupervisorError('INVALID_ARGUMENT', `${where}: ${message}`, { where });

export const precondition = (message: string, ns: string, id: string): SupervisorError =>
  new SupervisorError('FAILED_PRECONDITION', message, { namespace: ns, id });

/**
 * Errors of the runtime, snapshotter and content store carry codes of their own (ENOTFOUND,
 * EALREADYEXISTS, EBADSTATE ...): map them to the supervisor's so every caller sees one vocabulary.
 */
export function translate(e: unknown, facts: SupervisorErrorFacts = {}): unknown {
  if (e instanceof SupervisorError || !(e instanceof Error)) return e;
  // the container's process could not be set up or exec'd (a missing binary: "failed at exec (/x):
  // ENOENT"); its code is an errno name, which must not read as NOT_FOUND of the task itself
  if (e.name === 'ContainerInitError')
    return new SupervisorError('FAILED_PRECONDITION', e.message, facts, { cause: e });
  // a failed syscall of the host (a mount, a cgroup write) is the host's trouble, whatever its errno
  if (e.name === 'SyscallError') return new SupervisorError('INTERNAL', e.message, facts, { cause: e });
  const code = (e as { code?: unknown }).code;
  const map: Record<string, SupervisorErrorCode> = {
    ENOTFOUND: 'NOT_FOUND',
    ENOENT: 'NOT_FOUND',
    ENOTEXIST: 'NOT_FOUND',
    EEXISTS: 'ALREADY_EXISTS',
    EEXIST: 'ALREADY_EXISTS',
    EALREADYEXISTS: 'ALREADY_EXISTS',
    EINVALIDID: 'INVALID_ARGUMENT',
    EINVALIDSPEC: 'INVALID_ARGUMENT',
    EINVALIDARGUMENT: 'INVALID_ARGUMENT',
    EINVALID: 'INVALID_ARGUMENT',
    EBADSTATE: 'FAILED_PRECONDITION',
    EHASCHILDREN: 'FAILED_PRECONDITION',
    EINUSE: 'FAILED_PRECONDITION',
    ELOCKED: 'FAILED_PRECONDITION',
    EUNSUPPORTED: 'UNIMPLEMENTED',
    EFAILEDPRECONDITION: 'FAILED_PRECONDITION',
    EDIGESTMISMATCH: 'INVALID_ARGUMENT',
    ESIZEMISMATCH: 'INVALID_ARGUMENT',
    EINVALIDDIGEST: 'INVALID_ARGUMENT',
    EINVALIDREF: 'INVALID_ARGUMENT',
    // an OCI hook refused the container (the spec's own check failed, not the supervisor)
    EHOOK: 'FAILED_PRECONDITION',
    // a shim that never reported ready (it was killed; the call may be retried)
    ETIMEOUT: 'UNAVAILABLE',
  };
  const mapped = typeof code === 'string' ? map[code] : undefined;
  if (!mapped) return e;
  return new SupervisorError(mapped, e.message, facts, { cause: e });
}
