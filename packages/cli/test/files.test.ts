// cp (archive GET/HEAD/PUT) and build (context tar with .dockerignore) against the fake daemon.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextTar } from '../src/build-context.js';
import { berth } from './capture.js';
import { type FakeDaemon, json, startFakeDaemon } from './fake-daemon.js';

let d: FakeDaemon;
let dir: string;
beforeEach(async () => {
  d = await startFakeDaemon();
  dir = mkdtempSync(join(tmpdir(), 'berth-cli-files-'));
});
afterEach(async () => {
  await d.close();
  rmSync(dir, { recursive: true, force: true });
});

async function entries(data: Buffer): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const parser = new tar.Parser({
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => {
        out[e.path] = e.type === 'Directory' ? '<dir>' : Buffer.concat(chunks).toString();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(data);
  });
  return out;
}

async function tarOf(cwd: string, files: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tar.c({ cwd, portable: true }, files) as unknown as AsyncIterable<Buffer>)
    chunks.push(c);
  return Buffer.concat(chunks);
}

const stat = (mode: number) =>
  Buffer.from(JSON.stringify({ name: 'x', size: 1, mode, mtime: '' })).toString('base64');
const DIR_MODE = 0x80000000 | 0o755;

describe('berth cp', () => {
  it('copies a file into a container directory, and renames it when the destination does not exist', async () => {
    writeFileSync(join(dir, 'a.txt'), 'data');
    const puts: { path: string; entries: Record<string, string> }[] = [];
    d.route('HEAD', /archive$/, (r, res) => {
      if (r.query.get('path') === '/tmp') {
        res.writeHead(200, { 'X-Docker-Container-Path-Stat': stat(DIR_MODE) });
        res.end();
      } else json(res, 404, { message: 'Could not find the file' });
    });
    d.route('PUT', /archive$/, async (r, res) => {
      puts.push({ path: r.query.get('path')!, entries: await entries(r.body as Buffer) });
      res.writeHead(200);
      res.end();
    });
    expect((await berth(['cp', join(dir, 'a.txt'), 'web:/tmp'], { host: d.host })).code).toBe(0);
    expect((await berth(['cp', join(dir, 'a.txt'), 'web:/tmp/b.txt'], { host: d.host })).code).toBe(0);
    expect(puts).toEqual([
      { path: '/tmp', entries: { 'a.txt': 'data' } },
      { path: '/tmp', entries: { 'b.txt': 'data' } },
    ]);
  });

  it('copies a directory out of a container to a new name, and a file to a path', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'conf', 'sub'), { recursive: true });
    writeFileSync(join(src, 'conf', 'sub', 'x'), 'deep');
    writeFileSync(join(src, 'one.txt'), 'single');
    const conf = await tarOf(src, ['conf']);
    const one = await tarOf(src, ['one.txt']);
    d.route('GET', /archive$/, (r, res) => {
      const isDir = r.query.get('path') === '/etc/conf';
      res.writeHead(200, {
        'X-Docker-Container-Path-Stat': stat(isDir ? DIR_MODE : 0o644),
        'Content-Type': 'application/x-tar',
      });
      res.end(isDir ? conf : one);
    });
    const out = join(dir, 'out');
    mkdirSync(out);
    expect((await berth(['cp', 'web:/etc/conf', join(out, 'copied')], { host: d.host })).code).toBe(0);
    expect(readFileSync(join(out, 'copied', 'sub', 'x'), 'utf8')).toBe('deep');
    expect((await berth(['cp', 'web:/one.txt', join(out, 'renamed.txt')], { host: d.host })).code).toBe(0);
    expect(readFileSync(join(out, 'renamed.txt'), 'utf8')).toBe('single');
    expect((await berth(['cp', 'web:/etc/conf', out], { host: d.host })).code).toBe(0);
    expect(readFileSync(join(out, 'conf', 'sub', 'x'), 'utf8')).toBe('deep');
  });

  it('needs exactly one container side', async () => {
    const r = await berth(['cp', '/a', '/b'], { host: d.host });
    expect(r).toMatchObject({ code: 1, stderr: 'must specify at least one container source\n' });
  });
});

describe('berth build', () => {
  it('sends the context without what .dockerignore excludes (Dockerfile and .dockerignore always sent)', async () => {
    const ctx = join(dir, 'ctx');
    mkdirSync(join(ctx, 'node_modules', 'x'), { recursive: true });
    mkdirSync(join(ctx, 'src'), { recursive: true });
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(ctx, 'src', 'app.js'), 'app');
    writeFileSync(join(ctx, 'src', 'app.test.js'), 'test');
    writeFileSync(join(ctx, 'node_modules', 'x', 'i.js'), 'dep');
    writeFileSync(join(ctx, 'secret.env'), 'S=1');
    writeFileSync(join(ctx, 'keep.env'), 'K=1');
    writeFileSync(
      join(ctx, '.dockerignore'),
      '# deps\nnode_modules\n*.env\n!keep.env\n**/*.test.js\nDockerfile\n',
    );
    const chunks: Buffer[] = [];
    for await (const c of contextTar(ctx, undefined).tar) chunks.push(c as Buffer);
    const files = Object.entries(await entries(Buffer.concat(chunks)))
      .filter(([, v]) => v !== '<dir>')
      .map(([k]) => k.replace(/^\.\//, ''))
      .sort();
    expect(files).toEqual(['.dockerignore', 'Dockerfile', 'keep.env', 'src/app.js']);
  });

  it('posts the context with tags, build args and target, prints the stream, exits with the failing step status', async () => {
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    d.route('POST', /^\/build$/, (r, res) => {
      expect(r.query.getAll('t')).toEqual(['a:1', 'b:2']);
      expect(JSON.parse(r.query.get('buildargs')!)).toEqual({ V: '1' });
      expect(r.query.get('target')).toBe('final');
      expect(r.query.get('nocache')).toBe('1');
      res.writeHead(200);
      res.end(
        [
          { stream: 'Step 1/2 : FROM scratch\n' },
          { stream: 'Step 2/2 : RUN exit 3\n' },
          {
            errorDetail: { code: 3, message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3" },
            error: 'x',
          },
        ]
          .map((m) => JSON.stringify(m))
          .join('\n'),
      );
    });
    const r = await berth(
      ['build', '-t', 'a:1', '-t', 'b:2', '--build-arg', 'V=1', '--target', 'final', '--no-cache', ctx],
      { host: d.host },
    );
    expect(r.stdout).toBe('Step 1/2 : FROM scratch\nStep 2/2 : RUN exit 3\n');
    expect(r.stderr).toContain('returned a non-zero code: 3');
    expect(r.code).toBe(3);
  });

  it('build -q prints only the image id', async () => {
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    d.route('POST', /^\/build$/, (_r, res) => {
      res.writeHead(200);
      res.end(
        `${JSON.stringify({ stream: 'Step 1/1\n' })}\n${JSON.stringify({ aux: { ID: 'sha256:abc' } })}\n`,
      );
    });
    expect(await berth(['build', '-q', ctx], { host: d.host })).toEqual({
      code: 0,
      stdout: 'sha256:abc\n',
      stderr: '',
    });
  });
});
