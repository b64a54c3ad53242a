/** An error answer from the Engine API ({"message": …} with an HTTP status), as docker's client reports it. */
export class DockerApiError extends Error {
  readonly code = 'DOCKER_API_ERROR' as const;
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/** Nothing answers at the daemon's address (ENOENT, ECONNREFUSED …). */
export class DaemonUnreachableError extends Error {
  readonly code = 'DAEMON_UNREACHABLE' as const;
  constructor(
    readonly host: string,
    readonly errno: string | undefined,
  ) {
    super(`Cannot connect to the berth daemon at ${host}. Is the berth daemon running?`);
    this.name = 'DaemonUnreachableError';
  }
}

/** A -H / DOCKER_HOST value the client cannot use. */
export class InvalidHostError extends Error {
  readonly code = 'INVALID_HOST' as const;
  constructor(
    readonly host: string,
    reason: string,
  ) {
    super(`invalid host ${JSON.stringify(host)}: ${reason}`);
    this.name = 'InvalidHostError';
  }
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTSOCK', 'EACCES']);

/** True for the errno codes that mean "no daemon there" rather than a broken answer. */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}
