import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { StreamSession } from '../backend.js';
import { ApiError } from '../errors.js';
import type { ApiLogger, HijackConnection } from './context.js';
import { EscapeProxy } from './escape.js';
import { readAll, sendEmpty, sendError, sendRawError } from './http.js';
import { frame, STDERR, STDOUT, streamContentType } from './stdcopy.js';

/** A connection that asked for `Upgrade: tcp`: node hands us the socket and the bytes read past the headers. */
export function upgradeConnection(req: IncomingMessage, socket: Duplex, head: Buffer): HijackConnection {
  let leftover = head;
  let begun = false;
  return {
    upgraded: true,
    async readBody() {
      const te = req.headers['transfer-encoding'];
      if (te !== undefined && te !== 'identity')
        throw new ApiError(400, 'chunked request bodies are not supported on upgraded connections');
      const length = Number(req.headers['content-length'] ?? 0);
      if (!Number.isInteger(length) || length < 0) throw new ApiError(400, 'invalid Content-Length');
      const chunks: Buffer[] = [leftover];
      let have = leftover.length;
      while (have < length) {
        const chunk = await new Promise<Buffer | null>((resolve) => {
          const onData = (c: Buffer) => {
            cleanup();
            resolve(c);
          };
          const onEnd = () => {
            cleanup();
            resolve(null);
          };
          const cleanup = () => {
            socket.off('data', onData);
            socket.off('end', onEnd);
            socket.off('close', onEnd);
            socket.pause();
          };
          socket.on('data', onData);
          socket.on('end', onEnd);
          socket.on('close', onEnd);
          socket.resume();
        });
        if (chunk === null) throw new ApiError(400, 'request body ended early');
        chunks.push(chunk);
        have += chunk.length;
      }
      const all = Buffer.concat(chunks);
      leftover = all.subarray(length);
      return all.subarray(0, length);
    },
    fail(err) {
      // After the 101 the connection is a byte stream: an HTTP error cannot be sent any more.
      if (begun) socket.destroy();
      else sendRawError(socket, err);
    },
    empty(status) {
      socket.end(`HTTP/1.1 ${status} OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    },
    begin(contentType) {
      begun = true;
      socket.write(
        `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
      );
      if (leftover.length > 0) socket.unshift(leftover);
      leftover = Buffer.alloc(0);
      return { input: socket, output: socket };
    },
  };
}

/**
 * A plain request to a hijacking endpoint: dockerd answers 200 with the stream content type and then
 * writes raw bytes until it closes the connection (no chunked encoding). node's parser owns the
 * socket's input, so stdin comes from the request body when there is one (a chunked upload streams
 * stdin as it is typed); a request without a body attaches output only, leaving stdin open.
 */
export function plainConnection(req: IncomingMessage, res: ServerResponse): HijackConnection {
  let bodyRead = false;
  const hasBody =
    (req.headers['transfer-encoding'] !== undefined && req.headers['transfer-encoding'] !== 'identity') ||
    Number(req.headers['content-length'] ?? 0) > 0;
  return {
    upgraded: false,
    readBody: () => {
      bodyRead = true;
      return readAll(req);
    },
    fail(err) {
      sendError(res, err);
    },
    empty(status) {
      sendEmpty(res, status);
    },
    begin(contentType) {
      res.useChunkedEncodingByDefault = false;
      res.shouldKeepAlive = false;
      res.writeHead(200, { 'Content-Type': contentType, Connection: 'close' });
      res.flushHeaders();
      return { input: hasBody && !bodyRead ? req : undefined, output: res };
    },
  };
}

/**
 * Run a hijacked session: client bytes → session.stdin (minus the detach sequence), session output →
 * client (stdcopy frames unless tty). Ends the connection when every output stream has ended; calls
 * session.close() exactly once when done for any reason (output over, client gone, detach).
 */
export function runSession(
  conn: HijackConnection,
  session: StreamSession,
  opts: { apiVersion: string; detachKeys?: Buffer; logger: ApiLogger },
): Promise<void> {
  const { input, output } = conn.begin(streamContentType(session.tty, opts.apiVersion));
  // WebSocket attach sends stdout and stderr as they come, unframed (dockerd's MuxStreams: false).
  const framed = !session.tty && !conn.websocket;
  return new Promise<void>((resolve) => {
    let done = false;
    const sources: [number, Readable][] = [];
    if (session.stdout) sources.push([STDOUT, session.stdout]);
    if (session.stderr && !session.tty) sources.push([STDERR, session.stderr]);

    const finish = (why: string) => {
      if (done) return;
      done = true;
      opts.logger.debug?.({ why }, 'hijacked session over');
      // Keep the sources flowing into nothing: a paused stream could block the container's output pipe
      // (after a detach the process keeps running and writing) until the backend's close() unpipes it.
      for (const [, s] of sources) {
        s.off('data', onData.get(s)!);
        s.resume();
      }
      try {
        session.close();
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message }, 'session close failed');
      }
      output.end();
      // Clients close their side after reading EOF; one that does not is cut off after a grace period,
      // counted from when the last output left for the client (a slow reader still gets all of it),
      // and in any case after a long cap (a client that stopped reading altogether).
      const cut = () => output.destroy();
      output.once('finish', () => setTimeout(cut, 5000).unref());
      setTimeout(cut, 300_000).unref();
      resolve();
    };

    // Output: frames in arrival order; pause every source while the client is slow.
    const onData = new Map<Readable, (chunk: Buffer) => void>();
    let open = sources.length;
    for (const [id, src] of sources) {
      const handler = (chunk: Buffer | string) => {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const ok = output.write(framed ? frame(id as 1 | 2, data) : data);
        if (!ok) {
          for (const [, s] of sources) s.pause();
          output.once('drain', () => {
            if (!done) for (const [, s] of sources) s.resume();
          });
        }
      };
      onData.set(src, handler);
      src.on('data', handler);
      let counted = false;
      const ended = () => {
        if (counted) return;
        counted = true;
        if (--open === 0) finish('output ended');
      };
      src.once('end', ended);
      src.on('error', (err) => {
        opts.logger.warn({ err: err.message }, 'container stream error');
        ended();
      });
    }

    output.once('close', () => finish('client closed'));
    output.on('error', () => finish('client error'));

    // Input: only when someone listens; the escape proxy watches for the detach keys.
    if (input) {
      const escapes = opts.detachKeys && session.tty ? new EscapeProxy(opts.detachKeys) : undefined;
      const stdin = session.stdin;
      input.on('data', (chunk: Buffer) => {
        if (done) return;
        const data = escapes ? escapes.push(chunk) : chunk;
        if (data.length > 0 && stdin && !stdin.writableEnded && !stdin.write(data)) {
          // The container reads slower than the client types: stop reading the socket until it drains.
          input.pause();
          stdin.once('drain', () => input.resume());
        }
        if (escapes?.detached) finish('detached');
      });
      input.once('end', () => {
        // The client half-closed (stdin EOF): pass it on, keep sending output.
        if (session.stdin && !session.stdin.writableEnded) session.stdin.end();
      });
      input.resume();
    }
    if (sources.length === 0 && !input) finish('nothing to stream');
  });
}
