import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Duplex, PassThrough, Writable } from 'node:stream';
import { ApiError } from '../errors.js';
import type { HijackConnection } from './context.js';
import { sendRawError } from './http.js';

/**
 * Just enough RFC 6455 for GET /containers/{id}/attach/ws: the handshake, unfragmented or
 * fragmented data frames in (their payload is stdin), binary frames out, ping → pong, close.
 * Hand-written rather than a dependency because that is all Docker's endpoint uses (~100 lines).
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_FRAME = 16 * 1024 * 1024;

export function isWebSocketRequest(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** A hijack connection that speaks WebSocket: begin() completes the handshake. */
export function webSocketConnection(req: IncomingMessage, socket: Duplex, head: Buffer): HijackConnection {
  return {
    upgraded: true,
    websocket: true,
    async readBody() {
      return Buffer.alloc(0);
    },
    fail(err) {
      sendRawError(socket, err);
    },
    empty(status) {
      socket.end(`HTTP/1.1 ${status} OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    },
    begin() {
      const key = req.headers['sec-websocket-key'];
      if (typeof key !== 'string' || key === '') throw new ApiError(400, 'missing Sec-WebSocket-Key');
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const input = new PassThrough();
      let buf = head;
      let message: Buffer[] = [];
      let closed = false;
      const sendClose = () => {
        if (closed) return;
        closed = true;
        if (socket.writable) socket.end(encodeFrame(0x8, Buffer.alloc(0)));
        input.end();
      };
      const parse = () => {
        for (;;) {
          if (buf.length < 2) return;
          const b0 = buf[0]!;
          const b1 = buf[1]!;
          const opcode = b0 & 0x0f;
          const masked = (b1 & 0x80) !== 0;
          let len = b1 & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            const big = buf.readBigUInt64BE(2);
            if (big > BigInt(MAX_FRAME)) return socket.destroy();
            len = Number(big);
            off = 10;
          }
          if (len > MAX_FRAME) return socket.destroy();
          const maskLen = masked ? 4 : 0;
          if (buf.length < off + maskLen + len) return;
          const payload = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
          if (masked) {
            const mask = buf.subarray(off, off + 4);
            for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
          }
          buf = buf.subarray(off + maskLen + len);
          if (opcode === 0x8) return sendClose();
          if (opcode === 0x9) {
            socket.write(encodeFrame(0xa, payload));
            continue;
          }
          if (opcode === 0xa) continue;
          message.push(payload);
          if (b0 & 0x80) {
            input.write(Buffer.concat(message));
            message = [];
          }
        }
      };
      socket.on('data', (d: Buffer) => {
        buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
        parse();
      });
      socket.on('end', () => input.end());
      socket.resume();
      setImmediate(parse);
      const output = new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (closed || !socket.writable) return cb();
          if (socket.write(encodeFrame(0x2, chunk))) cb();
          else socket.once('drain', () => cb());
        },
        final(cb) {
          sendClose();
          cb();
        },
      });
      socket.once('close', () => output.destroy());
      return { input, output };
    },
  };
}
