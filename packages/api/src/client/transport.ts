// HTTP/1.1 to the daemon over a unix socket or TCP (optionally TLS), with node:http itself: it
// speaks unix sockets and Upgrade (hijacked attach/exec) natively, so no HTTP library is needed.
import http from 'node:http';
import https from 'node:https';
import type { Duplex, Readable } from 'node:stream';
import { DaemonUnreachableError, DockerApiError, isUnreachable } from './errors.js';
import type { DaemonAddress } from './host.js';

export interface TlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Verify the daemon's certificate (docker's --tlsverify); default true when ca is given. */
  verify?: boolean;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: string;
  path: string;
  query?: Query;
  /** JSON-encoded unless it is a Buffer or a stream. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The query string; joined with '&' when the path already has one. */
export function encodeQuery(query: Query | undefined, path = ''): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  if (parts.length === 0) return '';
  return `${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function isReadable(v: unknown): v is Readable {
  return typeof (v as Readable | null)?.pipe === 'function' && typeof (v as Readable).on === 'function';
}

/** Reads a whole response body. */
export async function readBody(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

/** Turns a non-2xx answer into DockerApiError with the daemon's message. */
export async function errorFromResponse(res: http.IncomingMessage): Promise<DockerApiError> {
  const text = (await readBody(res)).toString('utf8').trim();
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    // not JSON: the raw text is the message
  }
  if (message === '') message = `${res.statusCode} ${res.statusMessage ?? ''}`.trim();
  return new DockerApiError(res.statusCode ?? 500, message);
}

export class Transport {
  readonly agent: http.Agent;
  constructor(
    readonly address: DaemonAddress,
    readonly tls?: TlsOptions,
  ) {
    const agentOpts = { keepAlive: true };
    this.agent = tls ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  private baseOptions(o: RequestOptions, headers: Record<string, string>): https.RequestOptions {
    const a = this.address;
    const base: https.RequestOptions = {
      method: o.method ?? 'GET',
      path: o.path + encodeQuery(o.query, o.path),
      headers: { 'User-Agent': 'berth-cli', ...headers, ...o.headers },
      signal: o.signal,
    };
    if (a.kind === 'unix') {
      base.socketPath = a.socketPath;
      base.host = 'localhost';
    } else {
      base.host = a.hostname;
      base.port = a.port;
    }
    if (this.tls) {
      base.ca = this.tls.ca;
      base.cert = this.tls.cert;
      base.key = this.tls.key;
      base.rejectUnauthorized = this.tls.verify ?? this.tls.ca !== undefined;
    } else {
      // Plain HTTP has no SNI; an empty servername spares Node's agent an isIP() check of the host on every
      // request, whose IPv6 pattern costs a CLI several ms to compile at start-up.
      base.servername = '';
    }
    return base;
  }

  private prepareBody(body: unknown, headers: Record<string, string>): Buffer | Readable | undefined {
    if (body === undefined) return undefined;
    if (Buffer.isBuffer(body)) {
      headers['Content-Type'] ??= 'application/octet-stream';
      return body;
    }
    if (isReadable(body)) {
      headers['Content-Type'] ??= 'application/x-tar';
      return body;
    }
    headers['Content-Type'] = 'application/json';
    return Buffer.from(JSON.stringify(body));
  }

  private wrapError(err: unknown): unknown {
    return isUnreachable(err)
      ? new DaemonUnreachableError(this.address.url, (err as { code?: string }).code)
      : err;
  }

  /** Sends a request; resolves with the response when it is 2xx, else rejects with DockerApiError. */
  request(o: RequestOptions): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = {};
    const body = this.prepareBody(o.body, headers);
    const opts = this.baseOptions(o, headers);
    opts.agent = this.agent;
    const mod = this.tls ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(opts, (res) => {
        if ((res.statusCode ?? 500) >= 400) errorFromResponse(res).then(reject, reject);
        else resolve(res);
      });
      req.on('error', (err) => reject(this.wrapError(err)));
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else {
        body.on('error', (err) => req.destroy(err));
        body.pipe(req);
      }
    });
  }

  /**
   * Upgrades the connection to a raw stream (attach, exec start): docker's "hijack". The daemon answers
   * 101 Switching Protocols and then the socket carries stdin one way and (multiplexed) output the other.
   */
  hijack(o: RequestOptions): Promise<Duplex> {
    const headers: Record<string, string> = { Connection: 'Upgrade', Upgrade: 'tcp' };
    const body = this.prepareBody(o.body, headers);
    const opts = this.baseOptions({ method: 'POST', ...o }, headers);
    // a fresh connection: an upgraded socket never goes back to a keep-alive pool
    opts.agent = false;
    const mod = this.tls ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(opts);
      req.on('upgrade', (_res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', (res) => {
        // a daemon that does not upgrade answers with an error
        if ((res.statusCode ?? 500) >= 400) errorFromResponse(res).then(reject, reject);
        else reject(new DockerApiError(res.statusCode ?? 500, 'the daemon did not upgrade the connection'));
      });
      req.on('error', (err) => reject(this.wrapError(err)));
      req.end(body as Buffer | undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
