import { readFileSync } from 'node:fs';
import { chmod, chown, lstat, unlink } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Backend } from '../backend.js';
import { ApiError, statusOf } from '../errors.js';
import type { ApiLogger, HijackConnection, HijackContext, Route } from './context.js';
import { plainConnection, upgradeConnection } from './hijack.js';
import { errorMessage, type Query, queryOf, sendError, sendRawError } from './http.js';
import { match } from './router.js';
import { containerRoutes } from './routes/containers.js';
import { execRoutes } from './routes/exec.js';
import { imageRoutes } from './routes/images.js';
import { networkRoutes } from './routes/networks.js';
import { systemRoutes } from './routes/system.js';
import { volumeRoutes } from './routes/volumes.js';
import { API_VERSION, splitVersion } from './version.js';
import { isWebSocketRequest, webSocketConnection } from './websocket.js';

export interface ApiServerOptions {
  backend: Backend;
  logger?: ApiLogger;
  /** Reported in the `Server` header ("berth/<version> (linux)"). */
  serverVersion?: string;
  /** The Docker-Experimental header. */
  experimental?: boolean;
}

export interface UnixListenOptions {
  /** File mode of the socket; 0o660 by default (owner and group), as dockerd. */
  mode?: number;
  /** Group name or gid that owns the socket (dockerd's `docker` group). */
  group?: string | number;
}

/** TCP needs mutual TLS, or an explicit `insecure: true` (logged as a warning: anyone reaching the port is root). */
export type TcpListenOptions =
  | { tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer | (string | Buffer)[] } }
  | { insecure: true };

export interface ApiServer {
  listenUnix(path: string, opts?: UnixListenOptions): Promise<void>;
  /** Resolves with the bound address (port 0 picks a free port). */
  listenTcp(host: string, port: number, opts: TcpListenOptions): Promise<{ host: string; port: number }>;
  /** Serve on an already-listening socket handed over by the service manager (dockerd's `-H fd://`). */
  listenFd(fd: number): Promise<void>;
  /**
   * Stop listening; idle connections close at once, requests in flight get `graceMs` (default 0) to
   * finish, then every connection still open is cut, hijacked and streaming ones too.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
  /** The request handler, for embedding into another node http server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The `upgrade` handler (hijacked attach/exec), for embedding too. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * Go's servers accept 1 MiB of headers; node's default is 16 KiB. `docker build` sends every
 * credential of the client's config in X-Registry-Config, which can outgrow 16 KiB.
 */
const HTTP_OPTIONS = { maxHeaderSize: 1024 * 1024 };

const ROUTES: Route[] = [
  ...systemRoutes,
  ...containerRoutes,
  ...execRoutes,
  ...imageRoutes,
  ...volumeRoutes,
  ...networkRoutes,
];

const stderrLogger: ApiLogger = {
  info() {},
  warn(obj, msg) {
    process.stderr.write(`berth api warn: ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  },
  error(obj, msg) {
    process.stderr.write(`berth api error: ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  },
};

function groupId(group: string | number): number {
  if (typeof group === 'number') return group;
  if (/^\d+$/.test(group)) return Number(group);
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined) return Number(gid);
  }
  throw new ApiError(400, `group ${group} not found in /etc/group`);
}

/** A socket file left by a dead daemon is removed; one that answers means another daemon is running. */
async function clearStaleSocket(path: string): Promise<void> {
  try {
    const st = await lstat(path);
    if (!st.isSocket()) throw new Error(`${path} exists and is not a socket`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const alive = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`${path} is in use by another daemon`);
  await unlink(path);
}

interface Resolved {
  route: Route;
  params: string[];
  version: string;
  query: Query;
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const { backend } = opts;
  const logger = opts.logger ?? stderrLogger;
  const servers: Server[] = [];
  const sockets = new Set<Duplex>();
  /** Waiters for "no connection left" (graceful close). */
  const drained: (() => void)[] = [];
  let closingDown = false;
  const commonHeaders: Record<string, string> = {
    'Api-Version': API_VERSION,
    'Docker-Experimental': String(opts.experimental ?? false),
    Ostype: 'linux',
    Server: `berth/${opts.serverVersion ?? '0.0.0'} (linux)`,
  };

  function logFailure(req: IncomingMessage, err: unknown): void {
    const status = statusOf(err);
    if (status >= 500)
      logger.error({ method: req.method, url: req.url, err: errorMessage(err) }, 'request failed');
    else
      logger.debug?.({ method: req.method, url: req.url, status, err: errorMessage(err) }, 'request refused');
  }

  function resolve(req: IncomingMessage): Resolved | { error: ApiError } {
    try {
      return resolveRoute(req);
    } catch (err) {
      return {
        error: err instanceof ApiError ? err : new ApiError(400, `bad request: ${errorMessage(err)}`),
      };
    }
  }

  function resolveRoute(req: IncomingMessage): Resolved | { error: ApiError } {
    const url = new URL(req.url ?? '/', 'http://berth');
    const split = splitVersion(url.pathname);
    if ('error' in split) return { error: new ApiError(400, split.error) };
    const found = match(ROUTES, req.method ?? 'GET', split.path);
    // dockerd answers a known path with the wrong method like an unknown one (MethodNotAllowedHandler
    // is its notFoundHandler).
    if (!found) return { error: new ApiError(404, 'page not found') };
    return {
      route: found.route,
      params: found.params,
      version: split.version,
      query: queryOf(url.searchParams),
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    for (const [k, v] of Object.entries(commonHeaders)) res.setHeader(k, v);
    if (req.url?.endsWith('/_ping') || req.url?.includes('/_ping?')) {
      res.setHeader('Builder-Version', '1');
      res.setHeader('Swarm', 'inactive');
    }
    const r = resolve(req);
    if ('error' in r) {
      logFailure(req, r.error);
      sendError(res, r.error);
      return;
    }
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    // While closing, a finished response leaves an idle keep-alive connection: close it at once.
    res.once('finish', () => {
      if (!closingDown) return;
      setImmediate(() => {
        for (const s of servers) s.closeIdleConnections();
      });
    });
    if (logger.debug) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.debug?.({ method: req.method, url: req.url, status: res.statusCode, ms }, 'request');
      });
    }
    const base = {
      req,
      params: r.params,
      query: r.query,
      apiVersion: r.version,
      signal: abort.signal,
      backend,
      logger,
    };
    const route = r.route;
    const run =
      'handle' in route ? route.handle({ ...base, res }) : runHijack(route, base, plainConnection(req, res));
    run.catch((err: unknown) => {
      logFailure(req, err);
      sendError(res, err);
    });
  }

  async function runHijack(
    route: Route,
    base: Omit<HijackContext, 'conn'>,
    conn: HijackConnection,
  ): Promise<void> {
    if (!('hijack' in route)) throw new ApiError(400, 'this endpoint does not upgrade connections');
    const started = process.hrtime.bigint();
    try {
      await route.hijack({ ...base, conn });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug?.(
        { method: base.req.method, url: base.req.url, upgraded: conn.upgraded, ms },
        'hijacked session',
      );
    } catch (err) {
      logFailure(base.req, err);
      conn.fail(err);
    }
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const r = resolve(req);
    if ('error' in r) {
      sendRawError(socket, r.error);
      return;
    }
    if (!('hijack' in r.route)) {
      sendRawError(socket, new ApiError(400, `${req.url} does not support Upgrade`));
      return;
    }
    const abort = new AbortController();
    socket.once('close', () => abort.abort());
    socket.on('error', () => abort.abort());
    const base = {
      req,
      params: r.params,
      query: r.query,
      apiVersion: r.version,
      signal: abort.signal,
      backend,
      logger,
    };
    const conn = isWebSocketRequest(req)
      ? webSocketConnection(req, socket, head)
      : upgradeConnection(req, socket, head);
    void runHijack(r.route, base, conn);
  }

  function setup(server: Server): Server {
    // Waits, event streams, follows and pulls are long: no request timeout (node's default is 5 minutes).
    server.requestTimeout = 0;
    // Idle keep-alive connections outlive Go's client idle timeout (90 s), so the client, not the
    // server, closes them: a server-side close can race a request the client is just sending.
    server.keepAliveTimeout = 120_000;
    server.on('request', handle);
    server.on('upgrade', onUpgrade);
    const track = (s: Duplex) => {
      sockets.add(s);
      s.once('close', () => {
        sockets.delete(s);
        if (sockets.size === 0) for (const w of drained.splice(0)) w();
      });
    };
    server.on('connection', (s: Socket) => track(s));
    server.on('clientError', (err, socket) => {
      if (!socket.writable) return socket.destroy();
      sendRawError(socket, new ApiError(400, `bad request: ${err.message}`));
    });
    servers.push(server);
    return server;
  }

  function listen(server: Server, ...args: unknown[]): Promise<void> {
    return new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      (server.listen as (...a: unknown[]) => void)(...args, () => {
        server.off('error', reject);
        resolvePromise();
      });
    });
  }

  return {
    handle,
    upgrade: onUpgrade,
    async listenUnix(path, o = {}) {
      await clearStaleSocket(path);
      const server = setup(createHttpServer(HTTP_OPTIONS));
      await listen(server, path);
      await chmod(path, o.mode ?? 0o660);
      if (o.group !== undefined) await chown(path, process.getuid?.() ?? 0, groupId(o.group));
      logger.info({ path }, 'API listening on unix socket');
    },
    async listenTcp(host, port, o) {
      let server: Server;
      if ('tls' in o) {
        server = setup(
          createHttpsServer({
            ...HTTP_OPTIONS,
            cert: o.tls.cert,
            key: o.tls.key,
            ca: o.tls.ca,
            requestCert: true,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
            // docker closes its write side after stdin EOF (close_notify) and keeps reading output.
            allowHalfOpen: true,
          }) as unknown as Server,
        );
      } else if ('insecure' in o && o.insecure === true) {
        logger.warn(
          { host, port },
          'API listening on TCP WITHOUT TLS: anyone who reaches this port controls the host as root',
        );
        server = setup(createHttpServer(HTTP_OPTIONS));
      } else {
        throw new ApiError(400, 'listenTcp needs { tls: { cert, key, ca } } or { insecure: true }');
      }
      await listen(server, port, host);
      const addr = server.address();
      const bound =
        addr && typeof addr === 'object' ? { host: addr.address, port: addr.port } : { host, port };
      logger.info(bound, 'API listening on TCP');
      return bound;
    },
    async listenFd(fd) {
      const server = setup(createHttpServer(HTTP_OPTIONS));
      await listen(server, { fd });
      logger.info({ fd }, 'API listening on an inherited socket');
    },
    async close(o = {}) {
      closingDown = true;
      const closing = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
      for (const s of servers) s.closeIdleConnections();
      const grace = o.graceMs ?? 0;
      if (grace > 0 && sockets.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => drained.push(r)),
          new Promise<void>((r) => {
            timer = setTimeout(r, grace);
          }),
        ]);
        clearTimeout(timer);
      }
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      servers.length = 0;
    },
  };
}
