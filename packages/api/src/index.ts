export type { Backend, LogEntry, LogsOptions, StreamSession } from './backend.js';
export * from './client/index.js';
export { ApiError, type ApiErrorCode, isApiError, statusOf } from './errors.js';
export type { ApiLogger } from './server/context.js';
export {
  type ApiServer,
  type ApiServerOptions,
  createApiServer,
  type TcpListenOptions,
  type UnixListenOptions,
} from './server/server.js';
export { API_VERSION, MIN_API_VERSION } from './server/version.js';
// Both types/ and client/ name the filters map; this one wins (same shape).
export type { Filters } from './types/common.js';
export * from './types/index.js';
