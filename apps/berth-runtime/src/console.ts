// `run` of a terminal container without --console-socket (as runc): this process receives the pty
// master itself and copies between it and its own stdin/stdout, in raw mode when stdin is a tty.
import { closeSync, createReadStream, createWriteStream } from 'node:fs';
import { recvFds, socketpair, waitReadable } from '@berth/native';

export interface LocalConsole {
  /** the fd to hand to create() as consoleSocketFd */
  socketFd: number;
  /** after create: receives the master and starts copying */
  attach(): Promise<void>;
  close(): void;
}

export function localConsole(): LocalConsole {
  const [mine, theirs] = socketpair();
  let master = -1;
  let raw = false;
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
      out.on('error', () => {}); // EIO when the container's side closes
      out.pipe(process.stdout);
    },
    close() {
      if (raw) process.stdin.setRawMode(false);
      process.stdin.unpipe();
      process.stdin.pause();
    },
  };
}
