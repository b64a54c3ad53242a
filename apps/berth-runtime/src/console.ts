// `run` of a terminal container without --console-socket (as runc): this process receives the pty
// master itself and copies between it and its own stdin/stdout, in raw mode when stdin is a tty.
import { closeSync, createReadStream, createWriteStream } from 'node:fs';
import { recvFds, socketpair, waitReadable } from '@berth/native';

export interface LocalConsole {
  /** the fd to hand to create() as consoleSocketFd */
  socketFd: number;
  /** after create: receives the master and starts copying */
  attach(): Promise<void>;
  /** after the container's process exited: copies what is left in the pty, then restores stdin */
  close(): Promise<void>;
}

/** How long to wait for the pty's last output when a leftover process still holds its slave side. */
const DRAIN_LIMIT_MS = 2000;

export function localConsole(): LocalConsole {
  const [mine, theirs] = socketpair();
  let master = -1;
  let raw = false;
  let drained: Promise<void> = Promise.resolve();
  return {
    socketFd: theirs,
    async attach() {
      closeSync(theirs);
      await waitReadable(mine);
      const msg = recvFds(mine, 1, 64);
      closeSync(mine);
      master = msg.fds[0]!;
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(true);
        raw = true;
      }
      process.stdin.pipe(createWriteStream('', { fd: master, autoClose: false }));
      const out = createReadStream('', { fd: master, autoClose: false });
      // The read fails with EIO once every slave fd is closed and the buffer is empty: that is the end.
      drained = new Promise((resolve) => {
        out.on('error', () => resolve());
        out.on('end', () => resolve());
      });
      out.pipe(process.stdout);
    },
    async close() {
      // The process has exited, but its last output may still sit in the pty: read it to the end
      // (bounded, in case a process it left behind keeps the terminal open).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((r) => (timer = setTimeout(r, DRAIN_LIMIT_MS)))]);
      clearTimeout(timer);
      if (raw) process.stdin.setRawMode(false);
      process.stdin.unpipe();
      process.stdin.pause();
    },
  };
}
