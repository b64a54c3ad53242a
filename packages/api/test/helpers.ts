import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiLogger, type ApiServer, createApiServer } from '../src/index.js';
import { FakeBackend } from './fake-backend.js';

export const DOCKER = '/usr/local/bin/docker';

export interface Harness {
  backend: FakeBackend;
  server: ApiServer;
  dir: string;
  socketPath: string;
  close(): Promise<void>;
}

const quiet: ApiLogger = { info() {}, warn() {}, error() {} };

export async function startFake(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-api-test-'));
  const socketPath = join(dir, 'berth.sock');
  const backend = new FakeBackend();
  const server = createApiServer({ backend, logger: quiet, serverVersion: '0.0.0-test' });
  await server.listenUnix(socketPath);
  return {
    backend,
    server,
    dir,
    socketPath,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json(): unknown;
}

/** One HTTP request over the unix socket; the whole body is collected. */
export function call(
  socketPath: string,
  method: string,
  path: string,
  opts: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) {
      headers['Content-Length'] = Buffer.byteLength(opts.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
    const req = httpRequest({ socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          json: () => JSON.parse(text),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real docker CLI against the socket (own DOCKER_CONFIG so the machine's config is not read). */
export function docker(
  h: Pick<Harness, 'socketPath' | 'dir'>,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DOCKER_HOST: `unix://${h.socketPath}`,
        DOCKER_CONFIG: join(h.dir, 'docker-config'),
        DOCKER_CLI_HINTS: 'false',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: Number(process.env.DOCKER_TIMEOUT ?? 20_000),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface Hijacked {
  status: number;
  headers: Record<string, string>;
  /** Everything received after the response header, once the server closed the connection. */
  done: Promise<Buffer>;
  socket: import('node:net').Socket;
}

/** A raw HTTP/1.1 request that asks for `Upgrade: tcp` (or not), as the docker CLI does for attach/exec. */
export function rawRequest(
  socketPath: string,
  method: string,
  path: string,
  opts: { body?: string; upgrade?: boolean } = {},
): Promise<Hijacked> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const lines = [`${method} ${path} HTTP/1.1`, 'Host: api'];
    if (opts.upgrade !== false) lines.push('Connection: Upgrade', 'Upgrade: tcp');
    if (opts.body !== undefined)
      lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(opts.body)}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${opts.body ?? ''}`);
    let buf = Buffer.alloc(0);
    let headerDone = false;
    const rest: Buffer[] = [];
    let finish: (b: Buffer) => void = () => {};
    const done = new Promise<Buffer>((r) => {
      finish = r;
    });
    socket.on('data', (d: Buffer) => {
      if (headerDone) {
        rest.push(d);
        return;
      }
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      headerDone = true;
      const [statusLine, ...headerLines] = buf.subarray(0, end).toString().split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      rest.push(buf.subarray(end + 4));
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, done, socket });
    });
    socket.on('close', () => finish(Buffer.concat(rest)));
    socket.on('error', reject);
  });
}

/** Split stdcopy frames into per-stream text. */
export function demux(data: Buffer): { stdout: string; stderr: string; frames: number } {
  let stdout = '';
  let stderr = '';
  let frames = 0;
  let off = 0;
  while (off + 8 <= data.length) {
    const kind = data[off];
    const len = data.readUInt32BE(off + 4);
    const payload = data.subarray(off + 8, off + 8 + len).toString();
    if (kind === 1) stdout += payload;
    else if (kind === 2) stderr += payload;
    off += 8 + len;
    frames++;
  }
  if (off !== data.length) throw new Error(`trailing ${data.length - off} bytes are not a stdcopy frame`);
  return { stdout, stderr, frames };
}
