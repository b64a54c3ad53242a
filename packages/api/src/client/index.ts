export type {
  AttachOptions,
  BuildOptions,
  ClientFilters,
  DockerClientOptions,
  ExecCreateOptions,
  LogsOptions,
} from './client.js';
export { CLIENT_API_VERSION, DockerClient } from './client.js';
export { DaemonUnreachableError, DockerApiError, InvalidHostError, isUnreachable } from './errors.js';
export type { DaemonAddress } from './host.js';
export { DEFAULT_HOST, parseHost } from './host.js';
export { JsonStreamError, parseJsonMessages, parseJsonStream, splitJsonStream } from './json-stream.js';
export type { Frame } from './stdcopy.js';
export {
  copyRaw,
  demultiplex,
  encodeFrame,
  FrameParser,
  STDERR,
  STDIN,
  STDOUT,
  StdcopyError,
  SYSTEM_ERR,
} from './stdcopy.js';
export type { Query, RequestOptions, TlsOptions } from './transport.js';
export { Transport } from './transport.js';
// The answer shapes under one name, so they never clash with the server's request types.
export * as ClientTypes from './types.js';
