// The CLI against a fake Engine API server on a unix socket: request flow, stream demultiplexing,
// progress output, error texts and exit codes.
import { encodeFrame } from '@berth/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { berth } from './capture.js';
import { type FakeDaemon, json, startFakeDaemon } from './fake-daemon.js';

let d: FakeDaemon;
beforeEach(async () => {
  d = await startFakeDaemon();
});
afterEach(async () => {
  await d.close();
});

const ID = 'c0ffee'.padEnd(64, '0');

/** A container that prints to stdout and stderr, then exits with `status`. */
function containerRoutes(status: number, opts: { missingImage?: boolean } = {}) {
  let imagePresent = !opts.missingImage;
  d.route('POST', /^\/containers\/create$/, (_r, res) => {
    if (!imagePresent) return json(res, 404, { message: 'No such image: busybox:latest' });
    json(res, 201, { Id: ID, Warnings: [] });
  });
  d.route('POST', /^\/images\/create$/, (r, res) => {
    expect(r.query.get('fromImage')).toBe('busybox:latest');
    imagePresent = true;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const msgs = [
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: 'Pulling fs layer', progressDetail: {}, id: 'a1b2c3' },
      {
        status: 'Downloading',
        progressDetail: { current: 100, total: 200 },
        progress: '[==>  ]',
        id: 'a1b2c3',
      },
      { status: 'Download complete', progressDetail: {}, id: 'a1b2c3' },
      { status: 'Pull complete', progressDetail: {}, id: 'a1b2c3' },
      { status: 'Digest: sha256:abc' },
      { status: 'Status: Downloaded newer image for busybox:latest' },
    ];
    // split across writes, in the middle of a JSON value
    const text = msgs.map((m) => `${JSON.stringify(m)}\r\n`).join('');
    res.write(text.slice(0, 50));
    res.end(text.slice(50));
  });
  let exited: (() => void) | undefined;
  const exitedP = new Promise<void>((r) => {
    exited = r;
  });
  d.hijack(/^\/containers\/[^/]+\/attach$/, (_r, sock) => {
    exitedP.then(() => {
      sock.write(encodeFrame(1, 'hello from berth\n'));
      sock.write(Buffer.concat([encodeFrame(2, 'to stderr\n'), encodeFrame(1, 'more ')]).subarray(0, 20));
      sock.end(Buffer.concat([encodeFrame(2, 'to stderr\n'), encodeFrame(1, 'more\n')]).subarray(20));
    });
  });
  d.route('POST', /^\/containers\/[^/]+\/wait$/, async (_r, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    await exitedP;
    res.end(JSON.stringify({ StatusCode: status, Error: null }));
  });
  d.route('POST', /^\/containers\/[^/]+\/start$/, (_r, res) => {
    res.writeHead(204);
    res.end();
    setTimeout(() => exited?.(), 20);
  });
}

describe('berth run', () => {
  it('pulls a missing image, attaches and waits before start, demultiplexes output, exits with the status', async () => {
    containerRoutes(3, { missingImage: true });
    const r = await berth(['run', '--rm', '-e', 'A=1', 'busybox', 'sh', '-c', 'echo hi; exit 3'], {
      host: d.host,
    });
    expect(r.stdout).toBe('hello from berth\nmore\n');
    expect(r.stderr).toContain("Unable to find image 'busybox:latest' locally\n");
    expect(r.stderr).toContain(
      'latest: Pulling from library/busybox\na1b2c3: Pulling fs layer\na1b2c3: Download complete\n',
    );
    expect(r.stderr).not.toContain('Downloading');
    expect(r.stderr).toContain('to stderr\n');
    expect(r.code).toBe(3);
    const order = d.requests.map((q) => `${q.method} ${q.path}`);
    expect(order).toEqual([
      'POST /containers/create',
      'POST /images/create',
      'POST /containers/create',
      `POST /containers/${ID}/attach`,
      `POST /containers/${ID}/wait`,
      `POST /containers/${ID}/start`,
    ]);
    const create = d.requests[2]!;
    expect(create.body).toMatchObject({
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo hi; exit 3'],
      Env: ['A=1'],
      HostConfig: { AutoRemove: true },
    });
    expect(d.requests[4]!.query.get('condition')).toBe('removed');
    expect(d.requests[3]!.query.get('stdin')).toBeNull();
  });

  it('-d starts and prints the full id', async () => {
    containerRoutes(0);
    const r = await berth(['run', '-d', '--name', 'web', 'busybox', 'sleep', '9'], { host: d.host });
    expect(r).toMatchObject({ code: 0, stdout: `${ID}\n` });
    expect(d.requests.map((q) => q.path)).toEqual(['/containers/create', `/containers/${ID}/start`]);
    expect(d.requests[0]!.query.get('name')).toBe('web');
  });

  it('exits 125 with docker message when the daemon refuses, 127 when the command is not found', async () => {
    d.route('POST', /^\/containers\/create$/, (_r, res) =>
      json(res, 409, { message: 'Conflict. The container name "/web" is already in use' }),
    );
    const r = await berth(['run', '--name', 'web', 'busybox'], { host: d.host });
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      'berth: Error response from daemon: Conflict. The container name "/web" is already in use\n\nRun \'berth run --help\' for more information\n',
    );
  });

  it('exits 127 when the start fails with executable file not found', async () => {
    d.route('POST', /^\/containers\/create$/, (_r, res) => json(res, 201, { Id: ID }));
    d.route('POST', /^\/containers\/[^/]+\/wait$/, (_r, res) => {
      res.writeHead(200);
      res.flushHeaders();
    });
    d.hijack(/attach$/, (_r, sock) => sock.end());
    d.route('POST', /^\/containers\/[^/]+\/start$/, (_r, res) =>
      json(res, 400, { message: 'failed to create task: exec: "nope": executable file not found in $PATH' }),
    );
    const r = await berth(['run', 'busybox', 'nope'], { host: d.host });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain(
      'berth: Error response from daemon: failed to create task: exec: "nope": executable file not found',
    );
    expect(r.stderr).not.toContain('berth: berth:');
  });

  it('reports flag value errors with exit 125', async () => {
    const r = await berth(['run', '-p', 'abc', 'busybox'], { host: d.host });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('invalid containerPort: abc');
  });
});

describe('berth ps', () => {
  const list = [
    {
      Id: ID,
      Names: ['/web'],
      Image: 'busybox',
      Command: 'sleep 100',
      Created: Math.floor(Date.now() / 1000) - 30,
      Ports: [],
      Labels: { app: 'x' },
      State: 'running',
      Status: 'Up 30 seconds',
    },
  ];

  it('prints docker table, -q, --format and sends filters as docker does', async () => {
    d.route('GET', /^\/containers\/json$/, (_r, res) => json(res, 200, list));
    const t = await berth(['ps'], { host: d.host });
    expect(t.code).toBe(0);
    const [head, row] = t.stdout.split('\n');
    expect(head).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    expect(row).toMatch(/^c0ffee000000 +busybox +"sleep 100" +\d+ seconds ago +Up 30 seconds +web$/);
    expect((await berth(['ps', '-q'], { host: d.host })).stdout).toBe('c0ffee000000\n');
    expect((await berth(['ps', '--no-trunc', '-q'], { host: d.host })).stdout).toBe(`${ID}\n`);
    expect((await berth(['ps', '--format', '{{.Names}} {{.Label "app"}}'], { host: d.host })).stdout).toBe(
      'web x\n',
    );
    await berth(['ps', '-a', '--filter', 'status=exited', '--filter', 'name=web'], { host: d.host });
    const q = d.requests.at(-1)!.query;
    expect(q.get('all')).toBe('1');
    expect(JSON.parse(q.get('filters')!)).toEqual({ status: { exited: true }, name: { web: true } });
  });

  it('negotiates the API version from /_ping (the daemon says 1.47)', async () => {
    d.route('GET', /^\/containers\/json$/, (_r, res) => json(res, 200, []));
    await berth(['ps'], { host: d.host });
    expect(d.requests[0]!.rawPath).toBe('/v1.47/containers/json');
  });
});

describe('berth logs and exec', () => {
  it('logs demultiplexes stdout and stderr frames split across chunks', async () => {
    d.route('GET', /^\/containers\/[^/]+\/json$/, (_r, res) =>
      json(res, 200, { Id: ID, Name: '/web', Config: { Tty: false } }),
    );
    d.route('GET', /^\/containers\/[^/]+\/logs$/, (r, res) => {
      expect(r.query.get('tail')).toBe('5');
      expect(r.query.get('timestamps')).toBe('1');
      const all = Buffer.concat([
        encodeFrame(1, 'line one\n'),
        encodeFrame(2, 'oops\n'),
        encodeFrame(1, 'line two\n'),
      ]);
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
      res.write(all.subarray(0, 3));
      res.write(all.subarray(3, 19));
      res.end(all.subarray(19));
    });
    const r = await berth(['logs', '--tail', '5', '-t', 'web'], { host: d.host });
    expect(r).toEqual({ code: 0, stdout: 'line one\nline two\n', stderr: 'oops\n' });
  });

  it('logs of a TTY container are copied raw', async () => {
    d.route('GET', /^\/containers\/[^/]+\/json$/, (_r, res) =>
      json(res, 200, { Id: ID, Config: { Tty: true } }),
    );
    d.route('GET', /^\/containers\/[^/]+\/logs$/, (_r, res) => {
      res.writeHead(200);
      res.end('raw\r\n');
    });
    expect((await berth(['logs', 'web'], { host: d.host })).stdout).toBe('raw\r\n');
  });

  it('exec -i streams stdin in, output out (hijacked), and exits with the exec status', async () => {
    d.route('POST', /^\/containers\/[^/]+\/exec$/, (r, res) => {
      expect(r.body).toMatchObject({
        Cmd: ['cat'],
        AttachStdin: true,
        AttachStdout: true,
        Tty: false,
        Env: ['X=1'],
        WorkingDir: '/tmp',
        User: 'nobody',
      });
      json(res, 201, { Id: 'exec1' });
    });
    d.hijack(/^\/exec\/exec1\/start$/, (r, sock) => {
      expect(r.body).toEqual({ Detach: false, Tty: false });
      let got = '';
      sock.on('data', (c: Buffer) => {
        got += c.toString();
      });
      // the CLI half-closes after stdin ends; the output still flows back
      sock.on('end', () => {
        sock.end(Buffer.concat([encodeFrame(1, got.toUpperCase()), encodeFrame(2, 'done\n')]));
      });
    });
    d.route('GET', /^\/exec\/exec1\/json$/, (_r, res) =>
      json(res, 200, { ID: 'exec1', Running: false, ExitCode: 4 }),
    );
    const r = await berth(['exec', '-i', '-e', 'X=1', '-w', '/tmp', '-u', 'nobody', 'web', 'cat'], {
      host: d.host,
      stdin: 'abc\n',
    });
    expect(r).toEqual({ code: 4, stdout: 'ABC\n', stderr: 'done\n' });
  });
});

describe('berth pull and errors', () => {
  it('pull prints status lines (no progress bars without a TTY) and the canonical name', async () => {
    d.route('POST', /^\/images\/create$/, (_r, res) => {
      res.writeHead(200);
      res.end(
        [
          { status: 'Pulling from library/alpine', id: '3.20' },
          { status: 'Downloading', progressDetail: { current: 1, total: 2 }, id: 'l1' },
          { status: 'Pull complete', id: 'l1' },
          { status: 'Status: Downloaded newer image for alpine:3.20' },
        ]
          .map((m) => JSON.stringify(m))
          .join('\n'),
      );
    });
    const r = await berth(['pull', 'alpine:3.20'], { host: d.host });
    expect(r.stdout).toBe(
      '3.20: Pulling from library/alpine\nl1: Pull complete\nStatus: Downloaded newer image for alpine:3.20\ndocker.io/library/alpine:3.20\n',
    );
    expect(r.code).toBe(0);
  });

  it('pull fails with the stream error and exit 1', async () => {
    d.route('POST', /^\/images\/create$/, (_r, res) => {
      res.writeHead(200);
      res.end(JSON.stringify({ errorDetail: { message: 'manifest unknown' }, error: 'manifest unknown' }));
    });
    const r = await berth(['pull', 'nope'], { host: d.host });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Using default tag: latest\n');
    expect(r.stderr).toBe('manifest unknown\n');
  });

  it('rm prints daemon errors per container and exits 1', async () => {
    d.route('DELETE', /^\/containers\/good$/, (_r, res) => {
      res.writeHead(204);
      res.end();
    });
    d.route('DELETE', /^\/containers\/bad$/, (_r, res) =>
      json(res, 404, { message: 'No such container: bad' }),
    );
    const r = await berth(['rm', '-f', 'good', 'bad'], { host: d.host });
    expect(r).toEqual({
      code: 1,
      stdout: 'good\n',
      stderr: 'Error response from daemon: No such container: bad\n',
    });
    expect(d.requests[0]!.query.get('force')).toBe('1');
  });

  it('says the daemon is unreachable (exit 1)', async () => {
    const r = await berth(['ps'], { host: 'unix:///nonexistent/berth-cli-test.sock' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Cannot connect to the berth daemon at unix:///nonexistent/berth-cli-test.sock. Is the berth daemon running?\n',
    );
  });

  it('inspect prints a JSON array (4-space indent) or a template per object', async () => {
    d.route('GET', /^\/containers\/web\/json$/, (_r, res) =>
      json(res, 200, { Id: ID, Name: '/web', State: { Status: 'running' } }),
    );
    const r = await berth(['inspect', '--format', '{{.State.Status}} {{.Name}}', 'web'], { host: d.host });
    expect(r.stdout).toBe('running /web\n');
    const all = await berth(['inspect', 'web'], { host: d.host });
    expect(all.stdout.startsWith('[\n    {\n        "Id"')).toBe(true);
    const missing = await berth(['inspect', 'ghost'], { host: d.host });
    expect(missing).toMatchObject({ code: 1, stderr: 'Error: No such object: ghost\n' });
  });
});

describe('berth run without a daemon', () => {
  it('says so with docker prefix and hint, exit 125', async () => {
    const r = await berth(['run', 'busybox'], { host: 'unix:///nonexistent/berth-cli-test.sock' });
    expect(r).toEqual({
      code: 125,
      stdout: '',
      stderr:
        "berth: Cannot connect to the berth daemon at unix:///nonexistent/berth-cli-test.sock. Is the berth daemon running?\n\nRun 'berth run --help' for more information\n",
    });
  });
});
