import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../src/main.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

class Sink extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

/** Runs the CLI in-process with captured stdio (no TTY) against a host. */
export async function berth(
  args: string[],
  opts: { host?: string; stdin?: string; env?: NodeJS.ProcessEnv; signals?: EventEmitter } = {},
): Promise<Captured> {
  const stdout = new Sink();
  const stderr = new Sink();
  const stdin = new PassThrough();
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  else stdin.end();
  const code = await runCli(args, {
    io: { stdin, stdout, stderr },
    env: { ...(opts.host ? { BERTH_HOST: opts.host } : {}), BERTH_NO_AUTOSTART: '1', ...opts.env },
    signals: opts.signals ?? new EventEmitter(),
    autostart: false,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
