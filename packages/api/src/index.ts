export type { Backend, LogEntry, StreamSession } from './backend.js';
export { ApiError, type ApiErrorCode, isApiError, statusOf } from './errors.js';
export * from './types/index.js';
export * from './client/index.js';
