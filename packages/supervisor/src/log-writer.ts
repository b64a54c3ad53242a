// A container's output log for the in-process backend, in the shim's formats: Docker's json-file
// ({"log":"line\n","stream":"stdout","time":"RFC3339Nano"} per line) or raw bytes, rotated by size
// (<path>, <path>.1 … <path>.<maxFiles-1>, as Docker's json-file driver names them).
import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { nowNano } from './events.js';
import type { LogConfig } from './types.js';

export class LogWriter {
  #fd: number;
  #size: number;
  readonly #partial = { stdout: '', stderr: '' };

  constructor(private readonly config: LogConfig) {
    this.#fd = openSync(config.path, 'a', 0o640);
    this.#size = fstatSync(this.#fd).size;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.config.format === 'raw') {
      this.#append(chunk);
      return;
    }
    const text = this.#partial[stream] + chunk.toString('utf8');
    const lines = text.split('\n');
    this.#partial[stream] = lines.pop()!;
    for (const line of lines) this.#entry(stream, `${line}\n`);
  }

  /** Writes what is left of unterminated lines and closes the file. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#partial[stream] !== '') this.#entry(stream, this.#partial[stream]);
      this.#partial[stream] = '';
    }
    closeSync(this.#fd);
  }

  #entry(stream: string, log: string): void {
    this.#append(Buffer.from(`${JSON.stringify({ log, stream, time: nowNano() })}\n`));
  }

  #append(buf: Buffer): void {
    const max = this.config.maxSize ?? 0;
    if (max > 0 && this.#size > 0 && this.#size + buf.length > max) this.#rotate();
    writeSync(this.#fd, buf);
    this.#size += buf.length;
  }

  #rotate(): void {
    closeSync(this.#fd);
    const keep = Math.max(1, this.config.maxFiles ?? 1);
    const path = this.config.path;
    if (keep === 1) rmSync(path, { force: true });
    else {
      for (let i = keep - 1; i >= 1; i--) {
        const from = i === 1 ? path : `${path}.${i - 1}`;
        if (existsSync(from)) renameSync(from, `${path}.${i}`);
      }
    }
    this.#fd = openSync(path, 'a', 0o640);
    this.#size = 0;
  }
}
