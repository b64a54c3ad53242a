// The create/start split across processes. The engine's child waits for `start` on a socket whose
// other end its creator holds; a CLI's `create` must exit, so a small holder process keeps that end
// and a later `start` (another process) asks it, over a unix socket in the state directory, to
// release the child. The holder exits right after start, so the container's init is re-parented
// to the caller's subreaper (a shim), which reaps it as it would runc's. In-process users (the
// supervisor) never need a holder: they keep the ContainerProcess.

import { closeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { type ContainerProcess, pidfdOpen, waitReadable } from '@berth/native';
import { RuntimeError } from './errors.js';

export const HOLDER_SOCKET = 'holder.sock';

/**
 * Serves `start` for one created container until it is started or dies; resolves then.
 */
export function serveHolder(socketPath: string, proc: ContainerProcess): Promise<'started' | 'exited'> {
  return new Promise((resolvePromise) => {
    let started = false;
    const server = createServer((conn) => {
      conn.once('data', async () => {
        if (started) {
          conn.end(`${JSON.stringify({ error: 'already started' })}\n`);
          return;
        }
        started = true;
        try {
          await proc.start();
          conn.end(`${JSON.stringify({ ok: true })}\n`, () => {
            server.close();
            resolvePromise('started');
          });
        } catch (e) {
          const err = e as { message: string; code?: string };
          conn.end(`${JSON.stringify({ error: err.message, code: err.code })}\n`, () => {
            server.close();
            resolvePromise('exited');
          });
        }
      });
    });
    server.listen(socketPath);
    // the init died before start (killed, deleted): reap it and stop serving. After a start the
    // holder never waits for it, so the exit status goes to whoever inherits the init.
    // (a pidfd of our own: the engine's is polled by proc.start()/wait(), one poll per fd)
    const watch = pidfdOpen(proc.pid);
    waitReadable(watch).then(async () => {
      closeSync(watch);
      if (started) return;
      await proc.wait();
      server.close();
      resolvePromise('exited');
    });
  });
}

/** Asks the holder at `socketPath` to start its container. */
export function requestStart(socketPath: string, id: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const conn = createConnection(socketPath);
    let reply = '';
    conn.on('connect', () => conn.write('start\n'));
    conn.on('data', (d) => {
      reply += d.toString();
    });
    conn.on('error', (e) =>
      reject(
        new RuntimeError(
          'EBADSTATE',
          `container ${id} cannot be started: its holder is gone (${e.message})`,
          { id },
        ),
      ),
    );
    conn.on('end', () => {
      let msg: { ok?: boolean; error?: string };
      try {
        msg = JSON.parse(reply) as { ok?: boolean; error?: string };
      } catch {
        reject(new RuntimeError('EINTERNAL', `container ${id}: bad reply from its holder`, { id }));
        return;
      }
      if (msg.ok) resolvePromise();
      else reject(new RuntimeError('EBADSTATE', `container ${id}: start failed: ${msg.error}`, { id }));
    });
  });
}
