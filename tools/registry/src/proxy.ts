import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the proxy saw, for assertions (`range` is the Range header the client sent). */
export interface ProxiedRequest {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  /** Response body bytes sent to the client (after faults: a cut response counts what got through). */
  bytes: number;
}

export interface FaultProxy {
  /** `127.0.0.1:<port>`: use as the registry host to go through the proxy. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** Every request forwarded or answered, in order. */
  readonly requests: ProxiedRequest[];
  /** Flips one byte in the middle of the next `times` GET responses for this blob digest. */
  corruptBlob(digest: string, times?: number): void;
  /** Sends only `afterBytes` bytes of the next `times` GET responses for this blob, then drops the connection. */
  cutBlob(digest: string, afterBytes: number, times?: number): void;
  /** Drops the Range header of the next `times` ranged GETs of this blob, as a server without Range support. */
  ignoreRange(digest: string, times?: number): void;
  /**
   * Forwards only the first `afterBytes` bytes of the next `times` PATCH bodies (blob upload chunks),
   * then drops both connections: the registry keeps what it got, the client sees a broken request.
   */
  cutUpload(afterBytes: number, times?: number): void;
  /** Answers the next `times` requests whose path matches with `status` and no forwarding (e.g. 503). */
  failRequests(match: { method?: string; path: RegExp }, status: number, times?: number): void;
  /** Removes every armed fault. */
  reset(): void;
  stop(): Promise<void>;
}

interface BlobFault {
  kind: 'corrupt' | 'cut' | 'norange';
  digest: string;
  afterBytes: number;
  remaining: number;
}

interface StatusFault {
  method: string | undefined;
  path: RegExp;
  status: number;
  remaining: number;
}

const BLOB_PATH = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/**
 * An HTTP proxy in front of a registry that injects faults into blob downloads. It keeps the Host
 * header, so the Location URLs the registry writes point back at the proxy.
 */
export async function startFaultProxy(target: { host: string }): Promise<FaultProxy> {
  const [targetHost, targetPort] = splitHost(target.host);
  const requests: ProxiedRequest[] = [];
  let blobFaults: BlobFault[] = [];
  let statusFaults: StatusFault[] = [];
  let uploadCuts: { afterBytes: number; remaining: number }[] = [];
  const sockets = new Set<Socket>();

  const takeBlobFault = (method: string, path: string, kinds: BlobFault['kind'][]): BlobFault | undefined => {
    if (method !== 'GET') return undefined;
    const digest = BLOB_PATH.exec(path)?.[1];
    const fault = blobFaults.find((f) => f.digest === digest && f.remaining > 0 && kinds.includes(f.kind));
    if (fault) fault.remaining--;
    return fault;
  };

  const takeStatusFault = (method: string, path: string): StatusFault | undefined => {
    const fault = statusFaults.find(
      (f) => f.remaining > 0 && f.path.test(path) && (f.method === undefined || f.method === method),
    );
    if (fault) fault.remaining--;
    return fault;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    const log: ProxiedRequest = { method, path, range: req.headers.range, status: 0, bytes: 0 };
    const send = (chunk: Buffer, callback?: () => void): void => {
      log.bytes += chunk.length;
      if (callback) res.write(chunk, callback);
      else res.write(chunk);
    };
    requests.push(log);
    const statusFault = takeStatusFault(method, path);
    if (statusFault) {
      log.status = statusFault.status;
      req.resume();
      res.writeHead(statusFault.status, { 'content-type': 'text/plain' }).end('injected fault\n');
      return;
    }
    if (req.headers.range !== undefined && takeBlobFault(method, path, ['norange'])) delete req.headers.range;
    const fault = takeBlobFault(method, path, ['corrupt', 'cut']);
    const upstream = request(
      { host: targetHost, port: targetPort, method, path: url, headers: req.headers },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        log.status = status;
        res.writeHead(status, upstreamRes.headers);
        if (!fault || status < 200 || status >= 300) {
          upstreamRes.on('data', (chunk: Buffer) => {
            log.bytes += chunk.length;
          });
          upstreamRes.pipe(res);
          return;
        }
        const length = Number(upstreamRes.headers['content-length'] ?? 0);
        const flipAt = Math.floor(length / 2);
        let offset = 0;
        upstreamRes.on('data', (chunk: Buffer) => {
          if (fault.kind === 'cut') {
            if (offset >= fault.afterBytes) return;
            const room = fault.afterBytes - offset;
            offset += chunk.length;
            if (offset < fault.afterBytes) {
              send(chunk);
              return;
            }
            upstreamRes.destroy();
            // Drop the connection mid-body once the part is flushed: the client sees a premature close.
            send(chunk.subarray(0, room), () => res.socket?.destroy());
            return;
          }
          if (flipAt >= offset && flipAt < offset + chunk.length) {
            const copy = Buffer.from(chunk);
            copy[flipAt - offset] = (copy[flipAt - offset] ?? 0) ^ 0xff;
            send(copy);
          } else {
            send(chunk);
          }
          offset += chunk.length;
        });
        upstreamRes.on('end', () => res.end());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.socket?.destroy();
    });
    const cut = method === 'PATCH' ? uploadCuts.find((c) => c.remaining > 0) : undefined;
    if (!cut) {
      req.pipe(upstream);
      return;
    }
    cut.remaining--;
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      if (sent >= cut.afterBytes) return;
      const part = chunk.subarray(0, cut.afterBytes - sent);
      sent += part.length;
      upstream.write(part);
      if (sent >= cut.afterBytes) {
        req.pause();
        // Let the registry store the part, then break both sides of the exchange.
        setTimeout(() => {
          upstream.destroy();
          req.socket.destroy();
        }, 200);
      }
    });
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    corruptBlob(digest, times = 1) {
      blobFaults.push({ kind: 'corrupt', digest, afterBytes: 0, remaining: times });
    },
    cutBlob(digest, afterBytes, times = 1) {
      blobFaults.push({ kind: 'cut', digest, afterBytes, remaining: times });
    },
    ignoreRange(digest, times = 1) {
      blobFaults.push({ kind: 'norange', digest, afterBytes: 0, remaining: times });
    },
    failRequests(match, status, times = 1) {
      statusFaults.push({ method: match.method, path: match.path, status, remaining: times });
    },
    cutUpload(afterBytes, times = 1) {
      uploadCuts.push({ afterBytes, remaining: times });
    },
    reset() {
      blobFaults = [];
      statusFaults = [];
      uploadCuts = [];
    },
    stop() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

function splitHost(host: string): [string, number] {
  const colon = host.lastIndexOf(':');
  if (colon < 0) return [host, 80];
  return [host.slice(0, colon), Number(host.slice(colon + 1))];
}
