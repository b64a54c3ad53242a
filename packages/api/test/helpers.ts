import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiServer, createApiServer } from '../src/index.js';
import { FakeBackend } from './fake-backend.js';

export const DOCKER = '/usr/local/bin/docker';

export interface Harness {
  backend: FakeBackend;
  server: ApiServer;
  dir: string;
  socketPath: string;
  close(): Promise<void>;
}

const quiet = { info() {}, warn() {}, error() {} };

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
export function docker(h: Harness, args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DOCKER_HOST: `unix://${h.socketPath}`,
        DOCKER_CONFIG: join(h.dir, 'docker-config'),
        DOCKER_CLI_HINTS: 'false',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
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
