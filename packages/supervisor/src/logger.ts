// The logger the supervisor writes to: pino's calling convention (facts first, then the message), so
// the daemon passes its pino logger (or a child of it) as is.
export interface Logger {
  debug(facts: object, message: string): void;
  info(facts: object, message: string): void;
  warn(facts: object, message: string): void;
  error(facts: object, message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
