/** A failure the CLI reports as one line and an exit status (docker's cli.StatusError). */
export class CliError extends Error {
  readonly code: string;
  constructor(
    message: string,
    readonly exitCode = 1,
    code = 'CLI_ERROR',
  ) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}

/** Bad flags or arguments: docker prints the message, a pointer to --help, and exits 125. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message, 125, 'USAGE');
    this.name = 'UsageError';
  }
}

/** Flag values that do not parse (-p, --mount, --memory …): exit 125 like docker's invalid argument. */
export class FlagValueError extends CliError {
  constructor(flag: string, value: string, reason: string) {
    super(`invalid argument ${JSON.stringify(value)} for "${flag}" flag: ${reason}`, 125, 'FLAG_VALUE');
    this.name = 'FlagValueError';
  }
}
