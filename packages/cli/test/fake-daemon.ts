// A tiny Engine API server on a unix socket for the CLI's tests: routes answered by handlers the
// test gives, hijack (101 Upgrade: tcp) for attach/exec, and a record of every request.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

export interface FakeRequest {
  method: string;
  path: string;
  /** The path as sent, with its /v1.xx prefix. */
  rawPath: string;
  query: URLSearchParams;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: FakeRequest, res: http.ServerResponse) => void | Promise<void>;
export type HijackHandler = (req: FakeRequest, sock: Duplex) => void;

export interface FakeDaemon {
  socketPath: string;
  host: string;
  requests: FakeRequest[];
  route(method: string, pattern: RegExp, h: Handler): void;
  hijack(pattern: RegExp, h: HijackHandler): void;
  close(): Promise<void>;
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeDaemon(): Promise<FakeDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-test-'));
  const socketPath = join(dir, 'berth.sock');
  const routes: { method: string; pattern: RegExp; h: Handler }[] = [];
  const hijacks: { pattern: RegExp; h: HijackHandler }[] = [];
  const requests: FakeRequest[] = [];
  const strip = (p: string) => p.replace(/^\/v1\.\d+/, '');

  const readReq = async (req: http.IncomingMessage): Promise<FakeRequest> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    let body: unknown = raw;
    if (String(req.headers['content-type']).includes('json') && raw.length)
      body = JSON.parse(raw.toString('utf8'));
    return {
      method: req.method ?? 'GET',
      path: strip(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      body,
      headers: req.headers,
    };
  };

  const server = http.createServer(async (req, res) => {
    if (req.url === '/_ping' || req.url?.endsWith('/_ping')) {
      res.writeHead(200, { 'Api-Version': '1.47', 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    const r = await readReq(req);
    requests.push(r);
    const route = routes.find((x) => x.method === r.method && x.pattern.test(r.path));
    if (!route) return json(res, 404, { message: `page not found: ${r.method} ${r.path}` });
    await route.h(r, res);
  });
  server.on('upgrade', async (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = strip(url.pathname);
    // the request body (exec start's JSON) comes before the raw stream: take Content-Length bytes off it
    const want = Number(req.headers['content-length'] ?? 0);
    let got: Buffer = head;
    while (got.length < want) {
      const more: Buffer = await new Promise((resolve) => socket.once('data', resolve));
      got = Buffer.concat([got, more]);
    }
    if (got.length > want) socket.unshift(got.subarray(want));
    const bodyText = got.subarray(0, want).toString('utf8');
    const r: FakeRequest = {
      method: req.method ?? 'POST',
      path,
      rawPath: url.pathname,
      query: url.searchParams,
      body: bodyText ? JSON.parse(bodyText) : undefined,
      headers: req.headers,
    };
    requests.push(r);
    const hj = hijacks.find((x) => x.pattern.test(path));
    if (!hj) {
      socket.end(
        'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 23\r\n\r\n{"message":"not found"}',
      );
      return;
    }
    socket.write(
      'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
    );
    hj.h(r, socket);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    host: `unix://${socketPath}`,
    requests,
    route: (method, pattern, h) => routes.push({ method, pattern, h }),
    hijack: (pattern, h) => hijacks.push({ pattern, h }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
