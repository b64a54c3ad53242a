export { SCHEMA_VERSION } from './db.js';
export {
  isSupervisorError,
  SupervisorError,
  type SupervisorErrorCode,
  type SupervisorErrorFacts,
} from './errors.js';
export type * from './types.js';
export { DEFAULT_NAMESPACE } from './types.js';
