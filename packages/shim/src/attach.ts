// Attach streams over a dedicated connection: stdout/stderr as Readables fed by DATA frames
// (ended by the shim's EOF frames or the connection closing), stdin as a Writable whose end sends
// CLOSE_STDIN.
import { Readable, Writable } from 'node:stream';
import type { Connection } from './connection.js';
import { MsgType, Stream } from './protocol.js';

export interface AttachOptions {
  /** stream this side's writes to the process's stdin (default false) */
  stdin?: boolean;
  /** default true */
  stdout?: boolean;
  /** default true; a terminal has none (its output is all on stdout) */
  stderr?: boolean;
}

export interface ShimAttach {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  /** closes the connection (the process keeps running) */
  close(): void;
}

export function streamMask(opts: AttachOptions): number {
  return (
    (opts.stdin ? Stream.STDIN : 0) |
    (opts.stdout !== false ? Stream.STDOUT : 0) |
    (opts.stderr !== false ? Stream.STDERR : 0)
  );
}

/** Hooks the streams to the connection; call before the request so no frame is missed. */
export function wireAttach(conn: Connection): { finish(mask: number): ShimAttach } {
  // back-pressure: a consumer that falls behind pauses the socket until it reads again
  const stdout = new Readable({ read: () => conn.resume() });
  const stderr = new Readable({ read: () => conn.resume() });
  const end = (r: Readable) => {
    if (!r.readableEnded && !r.destroyed) r.push(null);
  };
  let ended = 0;
  let carried: number | undefined;
  // once every output stream has ended the process has finished: let the connection go, so an
  // attach nobody closes does not keep Node running
  const maybeClose = () => {
    const outputs = (carried ?? 0) & (Stream.STDOUT | Stream.STDERR);
    if (carried !== undefined && outputs !== 0 && (ended & outputs) === outputs) conn.close();
  };
  conn.onData = (stream, data) => {
    const r = stream === Stream.STDOUT ? stdout : stream === Stream.STDERR ? stderr : undefined;
    if (r && !r.readableEnded && !r.push(data)) conn.pause();
  };
  conn.onEof = (stream) => {
    end(stream === Stream.STDERR ? stderr : stdout);
    ended |= stream;
    maybeClose();
  };
  conn.onClose = () => {
    end(stdout);
    end(stderr);
  };
  return {
    finish(mask) {
      carried = mask;
      maybeClose();
      const attach: ShimAttach = { stdout, close: () => conn.close() };
      if (!(mask & Stream.STDOUT)) end(stdout);
      if (mask & Stream.STDERR) attach.stderr = stderr;
      else end(stderr);
      if (mask & Stream.STDIN) {
        attach.stdin = new Writable({
          write(chunk: Buffer, _enc, cb) {
            // frames of at most 64 KiB keep the shim's buffers small
            let ok = true;
            for (let off = 0; off < chunk.length; off += 65536)
              ok = conn.send(MsgType.DATA, Stream.STDIN, chunk.subarray(off, off + 65536)) && ok;
            if (ok) cb();
            else conn.onceDrained(() => cb());
          },
          final(cb) {
            conn.send(MsgType.CLOSE_STDIN, 0);
            cb();
          },
        });
      }
      return attach;
    },
  };
}
