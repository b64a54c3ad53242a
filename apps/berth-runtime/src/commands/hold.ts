// The holder process behind `create` (argv: __hold <json>): creates the container, reports on its
// last inherited fd, then serves `start` (see @berth/runtime holder.ts) and exits.
import { closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HOLDER_SOCKET, Runtime, serveHolder } from '@berth/runtime';
import { Logger } from '../log.js';
import type { HoldRequest } from './create.js';

export default async function hold(json: string): Promise<number> {
  const req = JSON.parse(json) as HoldRequest;
  const reportFd = 3 + req.preserveFds;
  const logger = new Logger(req.log, req.logFormat, false);
  const rt = new Runtime({ root: req.root, warn: (m) => logger.warn(m) });
  let created: Awaited<ReturnType<Runtime['create']>>;
  try {
    created = await rt.create(req.id, {
      bundle: req.bundle,
      ...(req.consoleSocket ? { consoleSocket: req.consoleSocket } : {}),
      ...(req.pidFile ? { pidFile: req.pidFile } : {}),
      noPivot: req.noPivot,
      preserveFds: req.preserveFds,
    });
    const socket = join(rt.dir(req.id), HOLDER_SOCKET);
    const served = serveHolder(socket, created.process);
    await rt.setHolder(req.id, { pid: process.pid, socket });
    writeSync(reportFd, `${JSON.stringify({ ok: true })}\n`);
    closeSync(reportFd);
    await served;
    return 0;
  } catch (e) {
    writeSync(reportFd, `${JSON.stringify({ error: (e as Error).message })}\n`);
    closeSync(reportFd);
    return 1;
  }
}
