// process.terminal with --console-socket: the container's pty master arrives over the socket with
// SCM_RIGHTS (as runc sends it), and the process runs on the pty's slave as its controlling tty.
import { closeSync, createReadStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { recvFds, waitReadable } from '@berth/native';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Runtime } from './runtime.js';
import { makeBundle, type TestBundle, uniqueId } from './test-support.js';

let bundle: TestBundle;
let rt: Runtime;
let server: Server | undefined;
const ids: string[] = [];

beforeEach(() => {
  bundle = makeBundle();
  rt = new Runtime({ root: bundle.root });
});

afterEach(async () => {
  for (const id of ids.splice(0)) await rt.delete(id, { force: true }).catch(() => {});
  server?.close();
  bundle.remove();
});

/** A console socket: resolves with the first fd received on it (the pty master). */
function listenConsole(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server = createServer({ pauseOnConnect: true }, async (conn: Socket) => {
      try {
        // Node's net cannot receive fds: read the message on the raw fd instead
        const fd = (conn as unknown as { _handle: { fd: number } })._handle.fd;
        await waitReadable(fd);
        const msg = recvFds(fd, 1, 64);
        conn.destroy();
        resolve(msg.fds[0]!);
      } catch (e) {
        reject(e);
      }
    });
    server.listen(path);
  });
}

it('terminal mode: the pty master is sent over the console socket and the process has a tty of consoleSize', async () => {
  const id = uniqueId();
  ids.push(id);
  const spec = bundle.spec([
    'sh',
    '-c',
    'tty; test -t 0 && echo stdin-is-a-tty; echo size $(stty size); echo done',
  ]);
  spec.process!.terminal = true;
  // set before exec: the first thing the program does already sees it (no resize racing it)
  spec.process!.consoleSize = { height: 33, width: 77 };
  bundle.write(spec);
  const socket = join(bundle.dir, 'console.sock');
  const master = listenConsole(socket);
  await rt.create(id, { bundle: bundle.dir, consoleSocket: socket });
  const fd = await master;
  const out = new Promise<string>((resolve) => {
    let text = '';
    const s = createReadStream('', { fd, autoClose: false });
    s.on('data', (d) => {
      text += d.toString();
      if (text.includes('done')) {
        s.destroy();
        resolve(text);
      }
    });
    s.on('error', () => resolve(text)); // EIO once the slave side is closed
  });
  await rt.start(id);
  const text = await out;
  await rt.wait(id);
  try {
    closeSync(fd);
  } catch {} // the read stream may have closed it already on EIO
  expect(text).toMatch(/\/dev\/pts\/\d+/);
  expect(text).toContain('stdin-is-a-tty');
  expect(text).toContain('size 33 77');
});
