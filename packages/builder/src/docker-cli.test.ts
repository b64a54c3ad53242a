// The real docker CLI (classic builder) against a tiny server whose POST /build is Builder.dockerBuild:
// checks that Docker's own client reads berth's /build stream (steps, cache lines, errors).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBuildQuery } from './query.js';
import { makeTestEnv, type TestEnv } from './test-support.js';

const DOCKER = '/usr/local/bin/docker';
let env: TestEnv;
let server: Server;
let socket: string;

beforeAll(async () => {
  env = await makeTestEnv();
  socket = join(env.root, 'docker.sock');
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://berth');
    if (url.pathname.endsWith('/_ping')) {
      res.writeHead(200, { 'Api-Version': '1.50', 'Builder-Version': '1', 'Content-Type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (req.method === 'POST' && /\/build$/.test(url.pathname)) {
      let parsed: ReturnType<typeof parseBuildQuery>;
      try {
        parsed = parseBuildQuery(url.searchParams);
      } catch (err) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: (err as Error).message }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      env.builder.dockerBuild({ ...parsed.options, context: req }, { quiet: parsed.quiet }).pipe(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `page not found: ${req.method} ${url.pathname}` }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await env?.close();
});

function docker(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      DOCKER,
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          DOCKER_HOST: `unix://${socket}`,
          DOCKER_BUILDKIT: '0',
          HOME: env.root,
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!existsSync(DOCKER))('docker build (real CLI, classic builder) against berth', () => {
  it('prints the steps, cache hits, and the built and tagged lines; fails with the step error', async () => {
    const dir = env.context({
      Dockerfile: 'FROM busybox\nARG MSG\nRUN echo "said: $MSG"\nCOPY f.txt /f.txt\n',
      'f.txt': 'x',
    });
    const first = await docker(['build', '--build-arg', 'MSG=hi', '-t', 'berth-test-cli:1', '.'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Step 1\/4 : FROM busybox\n ---> [0-9a-f]{12}\n/);
    expect(first.stdout).toContain('said: hi\n');
    expect(first.stdout).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged berth-test-cli:1\n/);
    expect(await env.store.get('berth-test-cli:1')).toBeDefined();

    const second = await docker(['build', '--build-arg', 'MSG=hi', '.'], dir);
    expect(second.stdout.match(/ ---> Using cache/g)?.length).toBe(3);

    const quiet = await docker(['build', '-q', '--build-arg', 'MSG=hi', '.'], dir);
    expect(quiet.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);

    const bad = env.context({ Dockerfile: 'FROM busybox\nRUN exit 7\n' });
    const failed = await docker(['build', '.'], bad);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain("The command '/bin/sh -c exit 7' returned a non-zero code: 7");
  });
});
