import type { Readable, Writable } from 'node:stream';
import type { DockerClient } from '@berth/api';
import type { Flags } from './flags.js';

export interface Io {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable & { isTTY?: boolean };
}

export interface Context {
  io: Io;
  env: NodeJS.ProcessEnv;
  /** The daemon address in use (after -H / BERTH_HOST / DOCKER_HOST / default). */
  host: string;
  /** The client, connected (and the daemon started when that is allowed) on first use. */
  client(): Promise<DockerClient>;
  /** The program name in messages ("berth"). */
  prog: string;
  /** Signals delivered to the CLI (tests pass their own emitter). */
  signals: NodeJS.EventEmitter;
}

/** A command: parsed positional arguments and flags in, exit status out (void = 0). */
export type CommandFn = (ctx: Context, args: string[], flags: Flags) => Promise<number | undefined>;

/** Writes a line to a stream. */
export function println(out: Writable, text = ''): void {
  out.write(`${text}\n`);
}
