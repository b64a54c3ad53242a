// create: forks a holder (see @berth/runtime holder.ts) that creates the container and keeps it
// waiting for `start`; returns once the container is "created" or its creation failed.
import { spawn } from 'node:child_process';

import type { Globals } from '../globals.js';
import { ExitCode, num, str } from '../globals.js';

export interface CreateFlags {
  bundle?: unknown;
  consoleSocket?: unknown;
  pidFile?: unknown;
  noPivot?: unknown;
  preserveFds?: unknown;
}

export interface HoldRequest {
  root: string;
  id: string;
  bundle: string;
  consoleSocket?: string;
  pidFile?: string;
  noPivot: boolean;
  preserveFds: number;
  log?: string;
  logFormat: 'json' | 'text';
}

export default async function create(g: Globals, id: string, flags: CreateFlags): Promise<void> {
  const preserveFds = num(flags.preserveFds) ?? 0;
  const req: HoldRequest = {
    root: g.flags.root,
    id,
    bundle: str(flags.bundle) ?? process.cwd(),
    noPivot: flags.noPivot === true,
    preserveFds,
    logFormat: g.flags.logFormat,
  };
  const consoleSocket = str(flags.consoleSocket);
  if (consoleSocket) req.consoleSocket = consoleSocket;
  const pidFile = str(flags.pidFile);
  if (pidFile) req.pidFile = pidFile;
  if (g.flags.log) req.log = g.flags.log;
  const extra = Array.from({ length: preserveFds }, (_, i) => 3 + i);
  const script = process.argv[1]!;
  const child = spawn(process.execPath, [script, '__hold', JSON.stringify(req)], {
    detached: true,
    stdio: ['inherit', 'inherit', 'inherit', ...extra, 'pipe'],
  });
  const report = child.stdio[3 + preserveFds] as NodeJS.ReadableStream;
  // one JSON line; not EOF: the container's init holds a copy of the pipe until it execs
  let text = '';
  report.on('error', () => {}); // leaving the loop below destroys the stream
  for await (const chunk of report) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  child.unref();
  let msg: { ok?: boolean; error?: string };
  try {
    msg = JSON.parse(text) as { ok?: boolean; error?: string };
  } catch {
    msg = {
      error: `container creation failed: the holder exited without a report${text ? ` (${text})` : ''}`,
    };
  }
  if (!msg.ok) {
    g.logger.error(msg.error ?? 'container creation failed');
    throw new ExitCode(1);
  }
}
