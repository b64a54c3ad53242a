export { SCHEMA_VERSION } from './db.js';
export {
  isSupervisorError,
  SupervisorError,
  type SupervisorErrorCode,
  type SupervisorErrorFacts,
} from './errors.js';
export { nowNano } from './events.js';
export { SupervisorClient } from './grpc/client.js';
export { type SupervisorServer, serveSupervisor } from './grpc/server.js';
export type { Logger } from './logger.js';
export { Supervisor, type SupervisorOptions } from './supervisor.js';
export type { RecoveryReport } from './tasks.js';
export type * from './types.js';
export { DEFAULT_NAMESPACE } from './types.js';
