// Docker's stdcopy framing: without a TTY, attach/exec/logs multiplex stdout and stderr on one stream
// as frames of an 8-byte header ([stream, 0, 0, 0, big-endian uint32 size]) followed by the payload.
import type { Readable, Writable } from 'node:stream';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
/** The daemon reports an error on the stream itself (stdcopy's systemErr). */
export const SYSTEM_ERR = 3;

export class StdcopyError extends Error {
  readonly code = 'STDCOPY' as const;
}

export interface Frame {
  stream: number;
  payload: Buffer;
}

/** Incremental frame parser: feed it chunks, get complete frames. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const stream = this.buf[0]!;
      if (stream > SYSTEM_ERR)
        throw new StdcopyError(`unrecognized stream ${stream} in a multiplexed stream`);
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      frames.push({ stream, payload: this.buf.subarray(8, 8 + size) });
      this.buf = this.buf.subarray(8 + size);
    }
    return frames;
  }

  /** Bytes of an unfinished frame left at the end. */
  get pending(): number {
    return this.buf.length;
  }
}

function write(dest: Writable, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = dest.write(data, (err) => {
      if (err) reject(err);
    });
    if (ok) resolve();
    else dest.once('drain', resolve);
  });
}

/** Encodes one frame (for tests and for servers). */
export function encodeFrame(stream: number, payload: Buffer | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/**
 * Copies a multiplexed stream to stdout and stderr until it ends (docker's stdcopy.StdCopy).
 * A system-error frame rejects with its text.
 */
export async function demultiplex(src: Readable, stdout: Writable, stderr: Writable): Promise<void> {
  const parser = new FrameParser();
  for await (const chunk of src) {
    for (const f of parser.push(chunk as Buffer)) {
      if (f.stream === SYSTEM_ERR) throw new StdcopyError(f.payload.toString('utf8'));
      await write(f.stream === STDERR ? stderr : stdout, f.payload);
    }
  }
}

/** Copies a raw (TTY) stream to one destination until it ends. */
export async function copyRaw(src: Readable, dest: Writable): Promise<void> {
  for await (const chunk of src) await write(dest, chunk as Buffer);
}
