import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiLogger, type ApiServer, createApiServer } from '../src/index.js';
import { FakeBackend } from './fake-backend.js';
import { call, docker } from './helpers.js';

const quiet: ApiLogger = { info() {}, warn() {}, error() {} };
let dir: string;
const servers: ApiServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-api-listen-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function server(logger = quiet): ApiServer {
  const s = createApiServer({ backend: new FakeBackend(), logger });
  servers.push(s);
  return s;
}

describe('unix socket', () => {
  it('is mode 0660 by default; mode and group are applied', async () => {
    const a = join(dir, 'a.sock');
    await server().listenUnix(a);
    expect((await stat(a)).mode & 0o777).toBe(0o660);
    const b = join(dir, 'b.sock');
    await server().listenUnix(b, { mode: 0o600, group: 'adm' });
    const st = await stat(b);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.gid).toBe(4);
    expect((await call(b, 'GET', '/_ping')).text).toBe('OK');
  });

  it('a stale socket file is replaced; a live one is refused', async () => {
    const p = join(dir, 'stale.sock');
    // A socket file nobody listens on, as a crashed daemon leaves it.
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', p]);
    expect((await stat(p)).isSocket()).toBe(true);
    await server().listenUnix(p);
    expect((await call(p, 'GET', '/_ping')).status).toBe(200);
    await expect(server().listenUnix(p)).rejects.toThrow(/in use by another daemon/);
  });
});

describe('TCP', () => {
  let certs: string;
  beforeAll(async () => {
    certs = join(dir, 'certs');
    const sh = (args: string[]) => execFileSync('openssl', args, { cwd: certs, stdio: 'pipe' });
    execFileSync('mkdir', ['-p', certs]);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    sh([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=berth-test-ca',
    ]);
    sh(['req', ...ec, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost']);
    await writeFile(
      join(certs, 'server.ext'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
    );
    sh([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      'server-cert.pem',
      '-days',
      '1',
      '-extfile',
      'server.ext',
    ]);
    sh(['req', ...ec, '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=berth-client']);
    await writeFile(join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    sh([
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      'cert.pem',
      '-days',
      '1',
      '-extfile',
      'client.ext',
    ]);
  });

  async function tlsServer() {
    const read = (f: string) => readFile(join(certs, f));
    return server().listenTcp('127.0.0.1', 0, {
      tls: {
        cert: await read('server-cert.pem'),
        key: await read('server-key.pem'),
        ca: await read('ca.pem'),
      },
    });
  }

  async function httpsPing(port: number, client: boolean): Promise<number> {
    const read = (f: string) => readFile(join(certs, f));
    const ca = await read('ca.pem');
    const creds = client ? { cert: await read('cert.pem'), key: await read('key.pem') } : {};
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: '/_ping', servername: 'localhost', ca, ...creds },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('mutual TLS: a client certificate from the CA is required', async () => {
    const { port } = await tlsServer();
    expect(await httpsPing(port, true)).toBe(200);
    await expect(httpsPing(port, false)).rejects.toThrow();
  });

  it('the docker CLI talks to it with --tlsverify', async () => {
    const { port } = await tlsServer();
    const r = await docker(
      { socketPath: '', dir },
      ['version', '--format', '{{.Server.APIVersion}}'],
      undefined,
      {
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: certs,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1.50');
  });

  it('docker run -i over TLS: stdin reaches the container and the half-close keeps the output flowing', async () => {
    const { port } = await tlsServer();
    const r = await docker({ socketPath: '', dir }, ['run', '-i', 'busybox', 'cat'], 'over tls\n', {
      DOCKER_HOST: `tcp://127.0.0.1:${port}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('over tls\n');
    expect(r.code).toBe(0);
  });

  it('plain TCP needs insecure: true and logs a warning', async () => {
    const warnings: string[] = [];
    const s = server({ ...quiet, warn: (_o: unknown, msg?: string) => void warnings.push(msg ?? '') });
    await expect(s.listenTcp('127.0.0.1', 0, {} as never)).rejects.toThrow(/tls/);
    const { port } = await s.listenTcp('127.0.0.1', 0, { insecure: true });
    expect(warnings.join()).toMatch(/WITHOUT TLS/);
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/_ping' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });
});

describe('close', () => {
  async function started() {
    const p = join(dir, `close-${Math.random().toString(36).slice(2)}.sock`);
    const backend = new FakeBackend();
    const s = createApiServer({ backend, logger: quiet });
    servers.push(s);
    await s.listenUnix(p);
    return { p, backend, s };
  }

  it('with graceMs, a request in flight still gets its answer', async () => {
    const { p, backend, s } = await started();
    let release: () => void = () => {};
    const entered = new Promise<void>((inside) => {
      backend.info = async () => {
        inside();
        await new Promise<void>((r) => {
          release = r;
        });
        return { ...(await FakeBackend.prototype.info.call(backend)) };
      };
    });
    const info = call(p, 'GET', '/info');
    await entered;
    const closing = s.close({ graceMs: 60_000 });
    release();
    expect((await info).status).toBe(200);
    await closing;
  });

  it('without grace, open streams are cut and close resolves', async () => {
    const { p, s } = await started();
    const events = new Promise<string>((resolve) => {
      const req = httpRequest({ socketPath: p, path: '/events' }, (res) => {
        res.on('data', () => {});
        res.on('close', () => resolve('closed'));
        void s.close();
      });
      req.on('error', () => resolve('error'));
      req.end();
    });
    expect(['closed', 'error']).toContain(await events);
  });
});
