import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, demux, type Harness, rawRequest, startFake } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(async () => {
  await h.close();
});

const create = (body: unknown, query = '') =>
  call(h.socketPath, 'POST', `/v1.50/containers/create${query}`, { body: JSON.stringify(body) });

async function createdId(body: unknown = { Image: 'busybox', Cmd: ['echo', 'hi'] }): Promise<string> {
  const r = await create(body);
  expect(r.status).toBe(201);
  return (r.json() as { Id: string }).Id;
}

describe('version negotiation', () => {
  it('GET and HEAD /_ping answer OK with Api-Version, Ostype, Builder-Version, Docker-Experimental', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await call(h.socketPath, method, '/_ping');
      expect(r.status).toBe(200);
      expect(r.text).toBe(method === 'GET' ? 'OK' : '');
      expect(r.headers['api-version']).toBe('1.50');
      expect(r.headers.ostype).toBe('linux');
      expect(r.headers['builder-version']).toBe('1');
      expect(r.headers['docker-experimental']).toBe('false');
      expect(r.headers['cache-control']).toContain('no-cache');
    }
  });

  it('accepts /v1.41 … /v1.50 prefixes and no prefix; /version reports ApiVersion and MinAPIVersion', async () => {
    for (const p of ['/v1.41/version', '/v1.45/version', '/v1.50/version', '/version']) {
      const r = await call(h.socketPath, 'GET', p);
      expect(r.status, p).toBe(200);
      expect(r.json()).toMatchObject({ ApiVersion: '1.50', MinAPIVersion: '1.41', Version: '0.0.0-fake' });
    }
  });

  it('a too-new version is a 400 with dockerd wording; a too-old one too', async () => {
    const r = await call(h.socketPath, 'GET', '/v1.51/version');
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({
      message: 'client version 1.51 is too new. Maximum supported API version is 1.50',
    });
    const old = await call(h.socketPath, 'GET', '/v1.40/containers/json');
    expect(old.status).toBe(400);
    expect((old.json() as { message: string }).message).toMatch(/^client version 1.40 is too old/);
  });

  it('unknown paths are 404 {"message":"page not found"}; a known path with the wrong method too, as dockerd', async () => {
    const r = await call(h.socketPath, 'GET', '/v1.50/nope');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json()).toEqual({ message: 'page not found' });
    const m = await call(h.socketPath, 'PATCH', '/v1.50/containers/json');
    expect(m.status).toBe(404);
    expect(m.json()).toEqual({ message: 'page not found' });
  });

  it('swarm endpoints answer 503 "not a swarm manager" like an unjoined dockerd', async () => {
    const r = await call(h.socketPath, 'GET', '/v1.50/services');
    expect(r.status).toBe(503);
    expect((r.json() as { message: string }).message).toMatch(/not a swarm manager/);
  });
});

describe('request validation', () => {
  it('malformed JSON is a 400 "invalid JSON: …"', async () => {
    const r = await call(h.socketPath, 'POST', '/v1.50/containers/create', { body: '{"Image": "busybox",' });
    expect(r.status).toBe(400);
    expect((r.json() as { message: string }).message).toMatch(/^invalid JSON: /);
  });

  it('a wrong type is a 400 naming the JSON path', async () => {
    const r = await create({ Image: 'busybox', HostConfig: { Memory: '1g' } });
    expect(r.status).toBe(400);
    expect((r.json() as { message: string }).message).toMatch(/^invalid JSON: HostConfig\.Memory: /);
  });

  it('unknown fields are ignored (as Go decoding does) and nulls mean "not set"', async () => {
    const r = await create({
      Image: 'busybox',
      Cmd: 'echo hi',
      NoSuchField: 1,
      Entrypoint: null,
      HostConfig: { Binds: null, Future: {} },
    });
    expect(r.status).toBe(201);
    expect(h.backend.lastCreate).toEqual({ Image: 'busybox', Cmd: ['echo hi'], HostConfig: {} });
  });

  it('a non-JSON Content-Type is a 400; an empty create body is a 400', async () => {
    const r = await call(h.socketPath, 'POST', '/v1.50/containers/create', {
      body: '{"Image":"busybox"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(r.status).toBe(400);
    expect((r.json() as { message: string }).message).toMatch(
      /unsupported Content-Type header \(text\/plain\)/,
    );
    const empty = await call(h.socketPath, 'POST', '/v1.50/containers/create', { body: '' });
    expect(empty.status).toBe(400);
  });

  it('bad query values are 400s naming the parameter', async () => {
    const limit = await call(h.socketPath, 'GET', '/v1.50/containers/json?limit=abc');
    expect(limit.status).toBe(400);
    expect((limit.json() as { message: string }).message).toMatch(/"limit"/);
    const filters = await call(h.socketPath, 'GET', '/v1.50/containers/json?filters=%7Bnot-json');
    expect(filters.status).toBe(400);
    expect((filters.json() as { message: string }).message).toMatch(/invalid filter/);
    const id = await createdId();
    const cond = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/wait?condition=sometime`);
    expect(cond.status).toBe(400);
    expect((cond.json() as { message: string }).message).toMatch(/"condition"/);
    const name = await create({ Image: 'busybox' }, '?name=bad%20name');
    expect(name.status).toBe(400);
  });

  it('filters in the legacy map form reach the backend as arrays', async () => {
    const legacy = encodeURIComponent(JSON.stringify({ status: { running: true, exited: false } }));
    const r = await call(h.socketPath, 'GET', `/v1.50/containers/json?all=1&filters=${legacy}`);
    expect(r.status).toBe(200);
  });

  it('invalid exec and network bodies are 400s', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['sleep'] });
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    const exec = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/exec`, {
      body: JSON.stringify({ Cmd: [] }),
    });
    expect(exec.status).toBe(400);
    expect((exec.json() as { message: string }).message).toMatch(/No exec command specified/);
    const net = await call(h.socketPath, 'POST', '/v1.50/networks/create', {
      body: JSON.stringify({ Driver: 'bridge' }),
    });
    expect(net.status).toBe(400);
  });
});

describe('backend errors become Docker status codes', () => {
  it('404, 409, 304 and 500 with {"message"}', async () => {
    const missing = await call(h.socketPath, 'GET', '/v1.50/containers/nosuch/json');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'No such container: nosuch' });

    await createdId({ Image: 'busybox', Cmd: ['sleep'] });
    const dupe = await create({ Image: 'busybox', Cmd: ['sleep'] }, '?name=berth-dupe');
    expect(dupe.status).toBe(201);
    const conflict = await create({ Image: 'busybox' }, '?name=berth-dupe');
    expect(conflict.status).toBe(409);

    const started = await call(h.socketPath, 'POST', '/v1.50/containers/berth-dupe/start');
    expect(started.status).toBe(204);
    const again = await call(h.socketPath, 'POST', '/v1.50/containers/berth-dupe/start');
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    h.backend.containerTop = async () => {
      throw new Error('boom');
    };
    const boom = await call(h.socketPath, 'GET', '/v1.50/containers/berth-dupe/top');
    expect(boom.status).toBe(500);
    expect(boom.json()).toEqual({ message: 'boom' });

    const search = await call(h.socketPath, 'GET', '/v1.50/images/search?term=x');
    expect(search.status).toBe(501);
  });
});

describe('streams', () => {
  async function ranContainer(cmd: string[], tty = false): Promise<string> {
    const id = await createdId({ Image: 'busybox', Cmd: cmd, Tty: tty });
    const w = call(h.socketPath, 'POST', `/v1.50/containers/${id}/wait?condition=next-exit`);
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    const r = await w;
    expect(r.status).toBe(200);
    return id;
  }

  it('wait holds the connection and answers {"StatusCode"} when the container exits', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['sh', '-c', 'exit 3'] });
    const w = call(h.socketPath, 'POST', `/v1.50/containers/${id}/wait?condition=next-exit`);
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    const r = await w;
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ StatusCode: 3 });
    const notRunning = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/wait`);
    expect(notRunning.json()).toEqual({ StatusCode: 3 });
  });

  it('logs are stdcopy-framed without a TTY, raw with one, timestamps prefix each entry', async () => {
    const id = await ranContainer(['err', 'oops']);
    const r = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/logs?stdout=1&stderr=1`);
    expect(r.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    expect(demux(r.body)).toMatchObject({ stdout: '', stderr: 'oops\n' });
    const ts = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/logs?stderr=1&timestamps=1`);
    expect(demux(ts.body).stderr).toMatch(/^\d{4}-\d\d-\d\dT\S+Z oops\n$/);
    const old = await call(h.socketPath, 'GET', `/v1.41/containers/${id}/logs?stderr=1`);
    expect(old.headers['content-type']).toBe('application/vnd.docker.raw-stream');

    const tty = await ranContainer(['echo', 'tty'], true);
    const raw = await call(h.socketPath, 'GET', `/v1.50/containers/${tty}/logs?stdout=1`);
    expect(raw.headers['content-type']).toBe('application/vnd.docker.raw-stream');
    expect(raw.text).toBe('tty\n');

    const none = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/logs`);
    expect(none.status).toBe(400);
  });

  it('stats: stream=false is one JSON document, the default streams JSON lines', async () => {
    const id = await createdId();
    const one = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/stats?stream=false`);
    expect(
      (one.json() as { cpu_stats: { cpu_usage: { total_usage: number } } }).cpu_stats.cpu_usage.total_usage,
    ).toBe(1);
    const many = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/stats`);
    const lines = many.text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!).cpu_stats.cpu_usage.total_usage).toBe(3);
  });

  it('events replay since and end at until', async () => {
    await createdId();
    const now = Math.floor(Date.now() / 1000);
    const r = await call(h.socketPath, 'GET', `/v1.50/events?since=${now - 10}&until=${now + 10}`);
    expect(r.status).toBe(200);
    const events = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ Type: 'container', Action: 'create' });
  });

  it('pull progress is JSON lines; an error before the first message is an HTTP error, after it an errorDetail line', async () => {
    const ok = await call(h.socketPath, 'POST', '/v1.50/images/create?fromImage=alpine&tag=3');
    expect(ok.status).toBe(200);
    const msgs = ok.text
      .trim()
      .split('\r\n')
      .map((l) => JSON.parse(l));
    expect(msgs.at(-1)).toEqual({ status: 'Status: Downloaded newer image for alpine:3' });

    const missing = await call(h.socketPath, 'POST', '/v1.50/images/create?fromImage=nosuch');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'pull access denied for nosuch' });

    const broken = await call(h.socketPath, 'POST', '/v1.50/images/create?fromImage=broken');
    expect(broken.status).toBe(200);
    const last = JSON.parse(broken.text.trim().split('\r\n').at(-1)!);
    expect(last).toEqual({
      errorDetail: { message: 'layer digest mismatch' },
      error: 'layer digest mismatch',
    });

    const neither = await call(h.socketPath, 'POST', '/v1.50/images/create');
    expect(neither.status).toBe(400);
  });

  it('image names with slashes and tags route to the image endpoints', async () => {
    await call(h.socketPath, 'POST', '/v1.50/images/create?fromImage=library/alpine&tag=3.20');
    const r = await call(h.socketPath, 'GET', '/v1.50/images/library/alpine:3.20/json');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ RepoTags: ['library/alpine:3.20'] });
    const encoded = await call(h.socketPath, 'GET', '/v1.50/images/library%2Falpine%3A3.20/json');
    expect(encoded.status).toBe(200);
    const tag = await call(
      h.socketPath,
      'POST',
      '/v1.50/images/library/alpine:3.20/tag?repo=berth/mine&tag=v1',
    );
    expect(tag.status).toBe(201);
    const del = await call(h.socketPath, 'DELETE', '/v1.50/images/berth/mine:v1');
    expect(del.json()).toEqual([{ Untagged: 'berth/mine:v1' }]);
  });

  it('archive: HEAD and GET carry X-Docker-Container-Path-Stat; PUT streams the body; path is required', async () => {
    const id = await createdId();
    const head = await call(h.socketPath, 'HEAD', `/v1.50/containers/${id}/archive?path=/etc/hosts`);
    expect(head.status).toBe(200);
    const stat = JSON.parse(
      Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString(),
    );
    expect(stat).toMatchObject({ name: 'hosts', size: 5 });
    const get = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/archive?path=/etc/hosts`);
    expect(get.headers['content-type']).toBe('application/x-tar');
    expect(get.text).toBe('tar-of-/etc/hosts');
    const missing = await call(h.socketPath, 'HEAD', `/v1.50/containers/${id}/archive?path=/missing`);
    expect(missing.status).toBe(404);
    const put = await call(h.socketPath, 'PUT', `/v1.50/containers/${id}/archive?path=/tmp`, {
      body: Buffer.alloc(10_000, 7),
      headers: { 'Content-Type': 'application/x-tar' },
    });
    expect(put.status).toBe(200);
    expect(h.backend.lastPut?.length).toBe(10_000);
    const noPath = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/archive`);
    expect(noPath.status).toBe(400);
  });

  it('export and save are tar streams; load and build read the body as a stream', async () => {
    const id = await createdId();
    const exp = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/export`);
    expect(exp.text).toBe('fake-tar-bytes');
    const save = await call(h.socketPath, 'GET', '/v1.50/images/get?names=a&names=b');
    expect(save.text).toBe('saved:a,b');
    const load = await call(h.socketPath, 'POST', '/v1.50/images/load?quiet=1', {
      body: Buffer.alloc(3000),
      headers: { 'Content-Type': 'application/x-tar' },
    });
    expect(JSON.parse(load.text.trim())).toEqual({ stream: 'Loaded image: loaded:3000\n' });
    const build = await call(
      h.socketPath,
      'POST',
      '/v1.50/build?t=a:1&t=b:2&buildargs=%7B%22X%22%3A%221%22%7D',
      {
        body: Buffer.alloc(100),
        headers: { 'Content-Type': 'application/x-tar' },
      },
    );
    const lines = build.text
      .trim()
      .split('\r\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].stream).toContain('context 100 bytes');
    expect(lines[1]).toEqual({ aux: { ID: 'sha256:built' } });
    expect(lines[2].stream).toBe('Successfully tagged a:1,b:2\n');
    const badArgs = await call(h.socketPath, 'POST', '/v1.50/build?buildargs=nope', { body: '' });
    expect(badArgs.status).toBe(400);
  });
});

describe('hijacking', () => {
  it('attach with Upgrade: tcp answers 101 UPGRADED and multiplexes stdout/stderr until the container exits', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['err', 'to-stderr'] });
    const a = await rawRequest(
      h.socketPath,
      'POST',
      `/v1.50/containers/${id}/attach?stream=1&stdout=1&stderr=1`,
    );
    expect(a.status).toBe(101);
    expect(a.headers.upgrade).toBe('tcp');
    expect(a.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    expect(demux(await a.done)).toMatchObject({ stdout: '', stderr: 'to-stderr\n' });
  });

  it('attach stdin reaches the container; the client half-close ends its stdin', async () => {
    const id = await createdId({
      Image: 'busybox',
      Cmd: ['cat'],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
    });
    const a = await rawRequest(
      h.socketPath,
      'POST',
      `/v1.50/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
    );
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    a.socket.end('typed\n');
    expect(demux(await a.done).stdout).toBe('typed\n');
  });

  it('attach without Upgrade is hijacked anyway: 200, raw stream, connection closed at the end', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['echo', 'plain'], Tty: true });
    const a = await rawRequest(h.socketPath, 'POST', `/v1.50/containers/${id}/attach?stream=1&stdout=1`, {
      upgrade: false,
    });
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/vnd.docker.raw-stream');
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    expect((await a.done).toString()).toBe('plain\n');
  });

  it('ctrl-p ctrl-q detaches a TTY attach and closes the connection; the container keeps running', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['cat'], Tty: true, OpenStdin: true });
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    const a = await rawRequest(
      h.socketPath,
      'POST',
      `/v1.50/containers/${id}/attach?stream=1&stdin=1&stdout=1`,
    );
    a.socket.write(Buffer.from([0x61, 0x10, 0x11]));
    const out = await a.done;
    expect(out.toString()).toBe('a');
    const insp = await call(h.socketPath, 'GET', `/v1.50/containers/${id}/json`);
    expect((insp.json() as { State: { Running: boolean } }).State.Running).toBe(true);
  });

  it('attach errors before the upgrade are plain HTTP errors', async () => {
    const a = await rawRequest(h.socketPath, 'POST', '/v1.50/containers/nosuch/attach?stream=1&stdout=1');
    expect(a.status).toBe(404);
    expect(JSON.parse((await a.done).toString())).toEqual({ message: 'No such container: nosuch' });
    const bad = await rawRequest(
      h.socketPath,
      'POST',
      '/v1.50/containers/x/attach?detachKeys=ctrl-%E2%82%AC',
    );
    expect(bad.status).toBe(400);
  });

  it('exec start reads its JSON body, then streams; the exit code is in exec inspect', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['sleep'] });
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    const ex = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/exec`, {
      body: JSON.stringify({ Cmd: ['sh', '-c', 'exit 5'], AttachStdout: true }),
    });
    expect(ex.status).toBe(201);
    const execId = (ex.json() as { Id: string }).Id;
    const s = await rawRequest(h.socketPath, 'POST', `/v1.50/exec/${execId}/start`, {
      body: JSON.stringify({ Detach: false, Tty: false }),
    });
    expect(s.status).toBe(101);
    await s.done;
    const insp = await call(h.socketPath, 'GET', `/v1.50/exec/${execId}/json`);
    expect(insp.json()).toMatchObject({ ExitCode: 5, Running: false });

    const echo = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/exec`, {
      body: JSON.stringify({ Cmd: ['echo', 'from', 'exec'], AttachStdout: true }),
    });
    const e2 = (echo.json() as { Id: string }).Id;
    const s2 = await rawRequest(h.socketPath, 'POST', `/v1.50/exec/${e2}/start`, {
      body: '{"Detach":false}',
      upgrade: false,
    });
    expect(s2.status).toBe(200);
    expect(demux(await s2.done).stdout).toBe('from exec\n');

    const det = await call(h.socketPath, 'POST', `/v1.50/containers/${id}/exec`, {
      body: JSON.stringify({ Cmd: ['echo'] }),
    });
    const d = await call(h.socketPath, 'POST', `/v1.50/exec/${(det.json() as { Id: string }).Id}/start`, {
      body: '{"Detach":true}',
    });
    expect(d.status).toBe(200);
    expect(d.text).toBe('');
  });
});

describe('client disconnects', () => {
  function openThenDrop(path: string, method = 'GET'): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ socketPath: h.socketPath, method, path }, (res) => {
        res.destroy();
        req.destroy();
        resolve();
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
  }

  it('an events stream that the client drops aborts the backend signal', async () => {
    await openThenDrop('/v1.50/events');
    await h.backend.called('eventsAborted');
  });

  it('a wait that the client drops aborts the backend signal', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['sleep'] });
    await openThenDrop(`/v1.50/containers/${id}/wait?condition=next-exit`, 'POST');
    await h.backend.called('waitAborted');
  });
});

describe('hostile input', () => {
  it('a malformed %-escape in a path parameter is a 400, and the server keeps serving', async () => {
    const r = await call(h.socketPath, 'GET', '/v1.50/containers/%E0%A4%A/json');
    expect(r.status).toBe(400);
    const up = await rawRequest(h.socketPath, 'POST', '/v1.50/containers/%zz/attach?stream=1');
    expect(up.status).toBe(400);
    expect((await call(h.socketPath, 'GET', '/_ping')).text).toBe('OK');
  });

  it('garbage instead of HTTP gets a 400 and the connection closed', async () => {
    const socket = connect(h.socketPath);
    const reply = await new Promise<string>((resolve) => {
      let out = '';
      socket.on('data', (d: Buffer) => {
        out += d.toString();
      });
      socket.on('close', () => resolve(out));
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(h.socketPath, 'GET', '/_ping')).text).toBe('OK');
  });
});

describe('headers', () => {
  it('accepts a 100 KiB X-Registry-Config header (docker build sends all credentials)', async () => {
    const auths: Record<string, { username: string; password: string }> = {};
    for (let i = 0; i < 1000; i++)
      auths[`registry-${i}.example.com`] = { username: `user${i}`, password: 'x'.repeat(60) };
    const header = Buffer.from(JSON.stringify(auths)).toString('base64url');
    expect(header.length).toBeGreaterThan(100_000);
    const r = await call(h.socketPath, 'POST', '/v1.50/build?t=big:1', {
      body: Buffer.alloc(10),
      headers: { 'Content-Type': 'application/x-tar', 'X-Registry-Config': header },
    });
    expect(r.status).toBe(200);
  });
});

describe('plain (non-upgrade) hijack with a request body', () => {
  it('a chunked request body is the container stdin; output comes back raw until the end', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['cat'], OpenStdin: true, StdinOnce: true });
    const out = new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath: h.socketPath,
          method: 'POST',
          path: `/v1.50/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
          headers: { 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/octet-stream' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              body: demux(Buffer.concat(chunks)).stdout,
            }),
          );
        },
      );
      req.on('error', reject);
      req.write('first ');
      void h.backend.called('containerAttach').then(async () => {
        await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
        req.end('second\n');
      });
    });
    const r = await out;
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/vnd.docker.multiplexed-stream');
    expect(r.body).toBe('first second\n');
  });
});

describe('attach over WebSocket (GET /containers/{id}/attach/ws)', () => {
  /** A minimal RFC 6455 client: masked frames out, collects binary frame payloads in. */
  async function wsAttach(path: string) {
    const socket = connect(h.socketPath);
    const key = Buffer.from('berth-test-key-16').toString('base64');
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: api\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let buf = Buffer.alloc(0);
    let status = 0;
    let accept = '';
    const messages: string[] = [];
    let closeFrame = false;
    const ready = new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (status === 0) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString();
          status = Number(head.split(' ')[1]);
          accept = /sec-websocket-accept: (\S+)/i.exec(head)?.[1] ?? '';
          buf = buf.subarray(end + 4);
          resolve();
        }
        while (buf.length >= 2) {
          const len = buf[1]! & 0x7f;
          if (len >= 126) throw new Error('test client handles short frames only');
          if (buf.length < 2 + len) break;
          const op = buf[0]! & 0x0f;
          if (op === 0x2) messages.push(buf.subarray(2, 2 + len).toString());
          if (op === 0x8) closeFrame = true;
          buf = buf.subarray(2 + len);
        }
      });
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    const send = (text: string) => {
      const payload = Buffer.from(text);
      const mask = Buffer.from([1, 2, 3, 4]);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
      socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
    };
    await ready;
    return {
      status: () => status,
      accept: () => accept,
      messages,
      send,
      closed,
      closeFrame: () => closeFrame,
      socket,
    };
  }

  it('handshakes, sends stdin from text frames and stdout/stderr as unframed binary frames, closes at exit', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['cat'], OpenStdin: true, StdinOnce: true });
    const ws = await wsAttach(`/v1.50/containers/${id}/attach/ws?stream=1&stdin=1&stdout=1&stderr=1`);
    expect(ws.status()).toBe(101);
    // base64(sha1(key + GUID)) for the key above, as RFC 6455 computes it
    const { createHash } = await import('node:crypto');
    const key = Buffer.from('berth-test-key-16').toString('base64');
    expect(ws.accept()).toBe(
      createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64'),
    );
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    ws.send('over websocket\n');
    while (ws.messages.join('') !== 'over websocket\n') await new Promise((r) => setTimeout(r, 5));
    // End stdin: a close frame from the client.
    const mask = Buffer.from([9, 9, 9, 9]);
    ws.socket.write(Buffer.concat([Buffer.from([0x88, 0x80]), mask]));
    await ws.closed;
    expect(ws.messages.join('')).toBe('over websocket\n');
    expect(ws.closeFrame()).toBe(true);
  });

  it('when the container exits the server sends a close frame and ends the connection', async () => {
    const id = await createdId({ Image: 'busybox', Cmd: ['err', 'bye'] });
    const ws = await wsAttach(`/v1.50/containers/${id}/attach/ws?stream=1&stdout=1&stderr=1`);
    await call(h.socketPath, 'POST', `/v1.50/containers/${id}/start`);
    await ws.closed;
    expect(ws.messages.join('')).toBe('bye\n');
    expect(ws.closeFrame()).toBe(true);
  });

  it('without the WebSocket upgrade it is a 400; an unknown container a 404', async () => {
    const plain = await call(h.socketPath, 'GET', '/v1.50/containers/x/attach/ws');
    expect(plain.status).toBe(400);
    const missing = await wsAttach('/v1.50/containers/nosuch/attach/ws?stream=1&stdout=1');
    expect(missing.status()).toBe(404);
  });
});

describe('JSON edge cases', () => {
  it('a "__proto__" key in a body is dropped, not turned into a prototype', async () => {
    const r = await create({
      Image: 'busybox',
      Labels: JSON.parse('{"a":"1","__proto__":{"polluted":"yes"}}'),
    });
    expect(r.status).toBe(201);
    const raw = await call(h.socketPath, 'POST', '/v1.50/containers/create', {
      body: '{"Image":"busybox","Labels":{"a":"1","__proto__":{"polluted":"yes"}}}',
    });
    expect(raw.status).toBe(201);
    expect(h.backend.lastCreate?.Labels).toEqual({ a: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
