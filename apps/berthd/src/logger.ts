// Structured logs (pino) to stderr, as JSON lines; the level comes from --log-level.
import { pino } from 'pino';
import type { LogLevel } from './config.js';

export function createLogger(level: LogLevel) {
  return pino({ level, base: { pid: process.pid, name: 'berthd' } }, pino.destination({ fd: 2, sync: true }));
}
