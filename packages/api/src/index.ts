export type { Backend, LogEntry, StreamSession } from './backend.js';
export * from './client/index.js';
export { ApiError, type ApiErrorCode, isApiError, statusOf } from './errors.js';
// Both types/ and client/ name the filters map; this one wins (same shape).
export type { Filters } from './types/common.js';
export * from './types/index.js';
