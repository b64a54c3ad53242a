// runc's logging: errors and warnings to --log (appended) in logrus JSON or text format, and the
// error message to stderr.
import { appendFileSync } from 'node:fs';

export type LogFormat = 'json' | 'text';
export type Level = 'debug' | 'info' | 'warning' | 'error';

export class Logger {
  constructor(
    private readonly file: string | undefined,
    private readonly format: LogFormat,
    private readonly debugOn: boolean,
  ) {}

  log(level: Level, msg: string): void {
    if (level === 'debug' && !this.debugOn) return;
    const time = new Date().toISOString();
    const line =
      this.format === 'json'
        ? JSON.stringify({ level, msg, time })
        : `time="${time}" level=${level} msg=${JSON.stringify(msg)}`;
    if (this.file) {
      try {
        appendFileSync(this.file, `${line}\n`);
      } catch {
        process.stderr.write(`${line}\n`);
      }
    } else if (level !== 'error') {
      process.stderr.write(`${line}\n`);
    }
  }

  error(msg: string): void {
    this.log('error', msg);
    process.stderr.write(`${msg}\n`);
  }

  warn(msg: string): void {
    this.log('warning', msg);
  }

  debug(msg: string): void {
    this.log('debug', msg);
  }
}
