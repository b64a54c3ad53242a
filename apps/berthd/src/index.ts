export { type Berthd, startBerthd } from './berthd.js';
export { parseArgs } from './cli.js';
export {
  ConfigError,
  type DaemonConfig,
  DEFAULT_CONFIG_FILE,
  FileConfig,
  parseHost,
  resolveConfig,
} from './config.js';
export { createLogger } from './logger.js';
