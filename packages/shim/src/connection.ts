// One connection to a shim's socket: requests carry a tag and resolve with the reply of the same
// tag; DATA and EOF frames (attach streams) go to handlers. An ERROR reply rejects the request.
import { createConnection, type Socket } from 'node:net';
import { ContainerInitError, errnoName, INIT_STEPS, type InitStep } from '@berth/native';
import { ShimError } from './errors.js';
import { decodeError, encodeFrame, type Frame, FrameReader, MsgType } from './protocol.js';

interface Pending {
  what: string;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
}

export function errorFromReply(what: string, payload: Buffer): Error {
  const e = decodeError(payload);
  const name = e.errno ? errnoName(e.errno) : 'EUNKNOWN';
  if (e.step > 0) {
    const step = (INIT_STEPS[e.step] ?? 'unknown') as InitStep;
    return new ContainerInitError(step, e.errno, e.message || undefined);
  }
  return new ShimError('EREQUEST', `${what}: ${e.message} (${name})`, name);
}

export class Connection {
  private readonly pending = new Map<number, Pending>();
  private nextTag = 1;
  private readonly reader = new FrameReader();
  closed = false;
  private closedWaiters: (() => void)[] = [];
  onData?: (stream: number, data: Buffer) => void;
  onEof?: (stream: number) => void;
  onClose?: () => void;

  private constructor(
    private readonly socket: Socket,
    private readonly keepAlive: boolean,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      for (const f of frames) this.dispatch(f);
    });
    socket.on('error', (e) => this.fail(new ShimError('EDISCONNECTED', `shim connection: ${e.message}`)));
    socket.on('close', () => this.fail(new ShimError('EDISCONNECTED', 'the shim closed the connection')));
    if (!keepAlive) socket.unref();
  }

  /** keepAlive false: the socket does not keep Node running unless a request is pending. */
  static open(path: string, keepAlive: boolean): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => {
        socket.removeListener('error', onError);
        resolve(new Connection(socket, keepAlive));
      });
      const onError = (e: NodeJS.ErrnoException) =>
        reject(
          new ShimError(
            e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'ENOTRUNNING' : 'EDISCONNECTED',
            `no shim answers at ${path}: ${e.code ?? e.message}`,
          ),
        );
      socket.once('error', onError);
    });
  }

  private dispatch(f: Frame): void {
    if (f.type === MsgType.DATA) {
      this.onData?.(f.flags, f.payload);
      return;
    }
    if (f.type === MsgType.EOF) {
      this.onEof?.(f.flags);
      return;
    }
    const p = this.pending.get(f.tag);
    if (!p) {
      this.fail(new ShimError('EPROTOCOL', `reply with unknown tag ${f.tag} (type ${f.type})`));
      return;
    }
    this.pending.delete(f.tag);
    if (this.pending.size === 0 && !this.keepAlive) this.socket.unref();
    if (f.type === MsgType.ERROR) {
      try {
        p.reject(errorFromReply(p.what, f.payload));
      } catch (e) {
        p.reject(e as Error);
      }
    } else p.resolve(f);
  }

  private fail(e: Error): void {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.onClose?.();
      for (const w of this.closedWaiters.splice(0)) w();
    }
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Sends a request; resolves with the reply frame (expected type checked by the caller). */
  request(what: string, type: number, payload?: Buffer): Promise<Frame> {
    if (this.closed)
      return Promise.reject(new ShimError('EDISCONNECTED', `${what}: the connection is closed`));
    const tag = this.nextTag++;
    if (this.nextTag > 0xffffffff) this.nextTag = 1;
    return new Promise((resolve, reject) => {
      this.pending.set(tag, { what, resolve, reject });
      this.socket.ref();
      this.socket.write(encodeFrame(type, 0, tag, payload));
    });
  }

  /** A frame that has no reply (DATA, CLOSE_STDIN); false when the socket's buffer is full. */
  send(type: number, flags: number, payload?: Buffer): boolean {
    if (this.closed) return true;
    return this.socket.write(encodeFrame(type, flags, 0, payload));
  }

  /** Calls `fn` once what was sent has been handed to the kernel (or the connection is gone). */
  onceDrained(fn: () => void): void {
    if (this.closed) {
      fn();
      return;
    }
    const done = () => {
      this.socket.off('drain', done);
      this.socket.off('close', done);
      fn();
    };
    this.socket.on('drain', done);
    this.socket.on('close', done);
  }

  /** Stops reading (a consumer is behind); the shim then buffers, and drops us past its limit. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.closed) this.socket.resume();
  }

  /** Resolves when the connection is gone (closed by either side). */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.socket.ref();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  close(): void {
    this.fail(new ShimError('EDISCONNECTED', 'the client closed the connection'));
  }
}

export function expectType(what: string, f: Frame, type: number): Frame {
  if (f.type !== type) throw new ShimError('EPROTOCOL', `${what}: reply of type ${f.type}, expected ${type}`);
  return f;
}
