// The shim's wire protocol (PROTOCOL.md): frames of a 12-byte little-endian header
// (u32 payload length, u16 type, u16 flags, u32 tag) and a payload of u32s and length-prefixed
// strings. Replies are decoded into objects and checked with zod before anyone uses them.
import { z } from 'zod';
import { ShimError } from './errors.js';

export const MsgType = {
  START: 1,
  KILL: 2,
  RESIZE: 3,
  STATE: 4,
  WAIT: 5,
  ATTACH: 6,
  EXEC: 7,
  SHUTDOWN: 8,
  DATA: 20,
  CLOSE_STDIN: 21,
  EOF: 22,
  OK: 100,
  ERROR: 101,
  STATE_R: 102,
  EXIT: 103,
  EXEC_R: 104,
} as const;

export const Stream = { STDIN: 1, STDOUT: 2, STDERR: 4 } as const;

export const HEADER_SIZE = 12;
/** the largest frame either side accepts (an exec plan with a big seccomp filter fits easily) */
export const MAX_FRAME = 16 << 20;

export interface Frame {
  type: number;
  flags: number;
  tag: number;
  payload: Buffer;
}

export function encodeFrame(
  type: number,
  flags: number,
  tag: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  if (payload.length > MAX_FRAME)
    throw new ShimError('EINVALID', `frame of ${payload.length} bytes is too large`);
  const h = Buffer.alloc(HEADER_SIZE);
  h.writeUInt32LE(payload.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt32LE(tag, 8);
  return Buffer.concat([h, payload]);
}

/** Splits a byte stream into frames. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    let off = 0;
    while (this.buf.length - off >= HEADER_SIZE) {
      const len = this.buf.readUInt32LE(off);
      if (len > MAX_FRAME) throw new ShimError('EPROTOCOL', `shim sent a frame of ${len} bytes`);
      if (this.buf.length - off - HEADER_SIZE < len) break;
      frames.push({
        type: this.buf.readUInt16LE(off + 4),
        flags: this.buf.readUInt16LE(off + 6),
        tag: this.buf.readUInt32LE(off + 8),
        payload: Buffer.from(this.buf.subarray(off + HEADER_SIZE, off + HEADER_SIZE + len)),
      });
      off += HEADER_SIZE + len;
    }
    this.buf = this.buf.subarray(off);
    return frames;
  }
}

/** Payload builder: u32s and u32-length-prefixed UTF-8 strings. */
export class PayloadWriter {
  private parts: Buffer[] = [];

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.parts.push(b);
    return this;
  }

  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    if (b.includes(0)) throw new ShimError('EINVALID', `string contains NUL: ${JSON.stringify(s)}`);
    this.u32(b.length);
    this.parts.push(b);
    return this;
  }

  bytes(b: Buffer): this {
    this.u32(b.length);
    this.parts.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class PayloadReader {
  private off = 0;
  constructor(private readonly b: Buffer) {}

  u32(): number {
    if (this.off + 4 > this.b.length) throw new ShimError('EPROTOCOL', 'truncated payload');
    const v = this.b.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }

  i32(): number {
    return this.u32() | 0;
  }

  str(): string {
    const len = this.u32();
    if (this.off + len > this.b.length) throw new ShimError('EPROTOCOL', 'truncated string');
    const s = this.b.toString('utf8', this.off, this.off + len);
    this.off += len;
    return s;
  }

  end(): void {
    if (this.off !== this.b.length) throw new ShimError('EPROTOCOL', 'trailing bytes in payload');
  }
}

const STATUSES = ['created', 'running', 'stopped'] as const;

export const StateReply = z.object({
  status: z.enum(STATUSES),
  pid: z.number().int().min(0),
  shimPid: z.number().int().positive(),
  exitCode: z.number().int().min(0).max(255),
  signal: z.number().int().min(0).max(64),
  exitedAt: z.string(),
});
export type StateReply = z.infer<typeof StateReply>;

export const ExitReply = z.object({
  exitCode: z.number().int().min(0).max(255),
  signal: z.number().int().min(0).max(64),
  exitedAt: z.string().min(1),
});
export type ExitReply = z.infer<typeof ExitReply>;

export const ErrorReply = z.object({
  errno: z.number().int().min(0),
  step: z.number().int().min(0),
  message: z.string(),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

export const ExecReply = z.object({
  pid: z.number().int().positive(),
  streams: z.number().int().min(0).max(7),
});
export type ExecReply = z.infer<typeof ExecReply>;

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ShimError(
      'EPROTOCOL',
      `bad ${what} from the shim: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`,
    );
  return r.data;
}

export function decodeState(p: Buffer): StateReply {
  const r = new PayloadReader(p);
  const status = r.u32();
  const v = {
    status: STATUSES[status] ?? `unknown(${status})`,
    pid: r.u32(),
    shimPid: r.u32(),
    exitCode: r.i32(),
    signal: r.i32(),
    exitedAt: r.str(),
  };
  r.end();
  return checked(StateReply, v, 'STATE reply');
}

export function decodeExit(p: Buffer): ExitReply {
  const r = new PayloadReader(p);
  const v = { exitCode: r.i32(), signal: r.i32(), exitedAt: r.str() };
  r.end();
  return checked(ExitReply, v, 'EXIT reply');
}

export function decodeError(p: Buffer): ErrorReply {
  const r = new PayloadReader(p);
  const v = { errno: r.i32(), step: r.u32(), message: r.str() };
  r.end();
  return checked(ErrorReply, v, 'ERROR reply');
}

export function decodeExec(p: Buffer): ExecReply {
  const r = new PayloadReader(p);
  const v = { pid: r.u32(), streams: r.u32() };
  r.end();
  return checked(ExecReply, v, 'EXEC reply');
}

/** The streams an ATTACH really carries (its OK reply). */
export function decodeAttachOk(p: Buffer): number {
  const r = new PayloadReader(p);
  const streams = r.u32();
  r.end();
  if (streams > 7) throw new ShimError('EPROTOCOL', `bad stream mask ${streams} from the shim`);
  return streams;
}
