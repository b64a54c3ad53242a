// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${VAR}
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError } from './errors.js';
import { eventLog, makeTestEnv, packDir, type TestEnv } from './test-support.js';

let env: TestEnv;

beforeAll(async () => {
  env = await makeTestEnv();
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const read = (rootfs: string, path: string) => readFileSync(join(rootfs, path), 'utf8');

async function buildText(
  dockerfile: string,
  files: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) {
  const log = eventLog();
  const dir = env.context({ Dockerfile: dockerfile, ...files });
  const result = await env.builder.build({ context: dir, onProgress: log.on, ...extra });
  return { ...result, log, dir };
}

async function buildError(
  dockerfile: string,
  files: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<BuildError> {
  try {
    await buildText(dockerfile, files, extra);
  } catch (err) {
    expect(err).toBeInstanceOf(BuildError);
    return err as BuildError;
  }
  throw new Error('expected the build to fail');
}

describe('build: instructions that only change the config', () => {
  it('records ENV, LABEL, EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT, CMD, SHELL and --label', async () => {
    const { imageId } = await buildText(
      [
        'FROM busybox',
        'ENV A=1 B="two words"',
        'ENV C=${A}-$B',
        'LABEL org.example.name="berth test" v=$A',
        'EXPOSE 80 53/udp 8000-8001',
        'VOLUME ["/data"]',
        'USER nobody',
        'WORKDIR /srv/app',
        'WORKDIR sub',
        'STOPSIGNAL SIGINT',
        'HEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost',
        'SHELL ["/bin/sh", "-ec"]',
        'ENTRYPOINT ["/bin/echo"]',
        'CMD hello $A',
      ].join('\n'),
      {},
      { labels: { 'com.example.build': 'yes', "it's": '$HOME "q"' } },
    );
    const image = (await env.store.get(imageId))!;
    const c = image.config.config!;
    expect(c.Env).toEqual(expect.arrayContaining(['A=1', 'B=two words', 'C=1-two words']));
    expect(c.Labels).toEqual({
      'org.example.name': 'berth test',
      v: '1',
      'com.example.build': 'yes',
      "it's": '$HOME "q"',
    });
    expect(Object.keys(c.ExposedPorts ?? {}).sort()).toEqual(['53/udp', '80/tcp', '8000/tcp', '8001/tcp']);
    expect(c.Volumes).toEqual({ '/data': {} });
    expect(c.User).toBe('nobody');
    expect(c.WorkingDir).toBe('/srv/app/sub');
    expect(c.StopSignal).toBe('SIGINT');
    expect(c.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 5e9, Retries: 2 });
    expect(c.Shell).toEqual(['/bin/sh', '-ec']);
    expect(c.Entrypoint).toEqual(['/bin/echo']);
    expect(c.Cmd).toEqual(['/bin/sh', '-ec', 'hello $A']);
    // WORKDIR made the directory (owned by the USER in force, as buildkit does)
    await env.inspect(imageId, (rootfs) => {
      const st = lstatSync(join(rootfs, 'srv/app/sub'));
      expect(st.isDirectory()).toBe(true);
      expect(st.uid).toBe(65534);
    });
    const history = image.config.history ?? [];
    expect(history.at(-1)?.created_by).toContain('LABEL');
    expect(
      history.some((h) => h.created_by === '/bin/sh -c #(nop)  ENV A=1 B=two words' && h.empty_layer),
    ).toBe(true);
  });

  it('one ENV instruction substitutes values from before it (Docker: def=hello, not bye)', async () => {
    const { imageId } = await buildText('FROM busybox\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n');
    const envs = (await env.store.get(imageId))!.config.config!.Env;
    expect(envs).toEqual(expect.arrayContaining(['abc=bye', 'def=hello', 'ghi=bye']));
  });

  it('automatic platform args: global in FROM, in a stage once declared', async () => {
    const { imageId } = await buildText(
      'FROM busybox\nENV BEFORE=[$TARGETARCH]\nARG TARGETARCH\nARG TARGETPLATFORM\nENV A=$TARGETARCH P=$TARGETPLATFORM\n',
      {},
      { platform: 'linux/arm64' },
    );
    const envs = (await env.store.get(imageId))!.config.config!.Env;
    expect(envs).toEqual(expect.arrayContaining(['BEFORE=[]', 'A=arm64', 'P=linux/arm64']));
  });

  it('an ENTRYPOINT drops an inherited CMD but keeps one set in the same stage', async () => {
    const base = await buildText('FROM busybox\nCMD ["base"]\n', {}, { tags: ['berth-test-cmdbase:latest'] });
    expect(base.tags).toEqual(['berth-test-cmdbase:latest']);
    const a = await buildText('FROM berth-test-cmdbase\nENTRYPOINT ["x"]\n');
    expect((await env.store.get(a.imageId))!.config.config!.Cmd).toBeNull();
    const b = await buildText('FROM berth-test-cmdbase\nCMD ["mine"]\nENTRYPOINT ["x"]\n');
    expect((await env.store.get(b.imageId))!.config.config!.Cmd).toEqual(['mine']);
  });
});

describe('build: COPY and ADD', () => {
  it('copies files with globs, --chown, --chmod, directory contents, into a created WORKDIR; .dockerignore applies', async () => {
    const { imageId } = await buildText(
      [
        'FROM busybox',
        'WORKDIR /app',
        'COPY --chown=1234:55 *.txt ./',
        'COPY --chmod=600 a.txt /priv/a',
        'COPY conf /etc/app/',
        'COPY ["a.txt", "renamed.txt"]',
        'COPY --exclude=sub conf /etc/nosub/',
      ].join('\n'),
      {
        'a.txt': 'A',
        'b.txt': 'B',
        'secret.txt': 'nope',
        'conf/x.ini': 'x=1',
        'conf/sub/y.ini': 'y=2',
        'conf/skip.tmp': 'tmp',
        '.dockerignore': 'secret.txt\n**/*.tmp\n',
      },
    );
    await env.inspect(imageId, (r) => {
      expect(read(r, 'app/a.txt')).toBe('A');
      expect(read(r, 'app/b.txt')).toBe('B');
      expect(() => lstatSync(join(r, 'app/secret.txt'))).toThrow();
      expect(lstatSync(join(r, 'app/a.txt'))).toMatchObject({ uid: 1234, gid: 55 });
      expect(lstatSync(join(r, 'priv/a')).mode & 0o777).toBe(0o600);
      expect(lstatSync(join(r, 'priv/a')).uid).toBe(0);
      expect(read(r, 'etc/app/x.ini')).toBe('x=1');
      expect(read(r, 'etc/app/sub/y.ini')).toBe('y=2');
      expect(() => lstatSync(join(r, 'etc/app/skip.tmp'))).toThrow();
      expect(read(r, 'app/renamed.txt')).toBe('A');
      expect(read(r, 'etc/nosub/x.ini')).toBe('x=1');
      expect(() => lstatSync(join(r, 'etc/nosub/sub'))).toThrow();
    });
  });

  it('follows a source that is a symlink, keeps links inside copied directories', async () => {
    const dir = env.context({
      Dockerfile: 'FROM busybox\nCOPY link.txt /copied/\nCOPY tree /tree/\n',
      'real.txt': 'real',
      'tree/a': 'a',
    });
    const { symlinkSync } = await import('node:fs');
    symlinkSync('real.txt', join(dir, 'link.txt'));
    symlinkSync('a', join(dir, 'tree/b'));
    const { imageId } = await env.builder.build({ context: dir });
    await env.inspect(imageId, (r) => {
      expect(lstatSync(join(r, 'copied/link.txt')).isFile()).toBe(true);
      expect(read(r, 'copied/link.txt')).toBe('real');
      expect(lstatSync(join(r, 'tree/b')).isSymbolicLink()).toBe(true);
    });
  });

  it('a Dockerfile elsewhere in the context, with its own <name>.dockerignore (buildkit rule)', async () => {
    const dir = env.context({
      'docker/app.Dockerfile': 'FROM busybox\nCOPY . /ctx/\n',
      'docker/app.Dockerfile.dockerignore': 'secret\n',
      '.dockerignore': 'other\n',
      secret: 's',
      other: 'o',
    });
    const { imageId } = await env.builder.build({ context: dir, dockerfile: 'docker/app.Dockerfile' });
    await env.inspect(imageId, (r) => {
      expect(() => lstatSync(join(r, 'ctx/secret'))).toThrow();
      expect(read(r, 'ctx/other')).toBe('o');
    });
    const missing = await env.builder
      .build({ context: dir, dockerfile: 'nope/Dockerfile' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('a source excluded by .dockerignore is not found, and the error names the line', async () => {
    const err = await buildError('FROM busybox\n\nCOPY secret.txt /\n', {
      'secret.txt': 's',
      '.dockerignore': 'secret.txt',
    });
    expect(err).toMatchObject({ code: 'ENOTFOUND', line: 3 });
    expect(err.message).toMatch(/excluded by .dockerignore/);
  });

  it('several sources need a directory destination', async () => {
    const err = await buildError('FROM busybox\nCOPY a b /dest\n', { a: '1', b: '2' });
    expect(err.message).toMatch(/must be a directory and end with a \//);
  });

  it('ADD extracts a local tar archive and refuses URLs clearly', async () => {
    const dir = env.context({ 'inner/one.txt': 'one', 'inner/two/three.txt': 'three' });
    const chunks: Buffer[] = [];
    for await (const c of packDir(join(dir, 'inner'))) chunks.push(c as Buffer);
    const ctx = env.context({
      Dockerfile: 'FROM busybox\nADD files.tar /opt/\nADD plain.txt /opt/plain.txt\n',
      'plain.txt': 'plain',
    });
    writeFileSync(join(ctx, 'files.tar'), Buffer.concat(chunks));
    const { imageId } = await env.builder.build({ context: ctx });
    await env.inspect(imageId, (r) => {
      expect(read(r, 'opt/one.txt')).toBe('one');
      expect(read(r, 'opt/two/three.txt')).toBe('three');
      expect(read(r, 'opt/plain.txt')).toBe('plain');
    });
    const err = await buildError('FROM busybox\nADD https://example.com/x.tgz /x\n');
    expect(err.code).toBe('EUNSUPPORTED');
    expect(err.message).toMatch(/remote sources are not supported/);
  });

  it('COPY <<EOF writes heredoc files, expanding variables unless the terminator is quoted', async () => {
    const { imageId } = await buildText(
      [
        'FROM busybox',
        'ARG NAME=world',
        'COPY <<EOF /etc/app.conf',
        'name=${NAME}',
        'EOF',
        "COPY <<'EOF' /etc/raw.conf",
        'name=${NAME}',
        'EOF',
      ].join('\n'),
    );
    await env.inspect(imageId, (r) => {
      expect(read(r, 'etc/app.conf')).toBe('name=world\n');
      expect(read(r, 'etc/raw.conf')).toBe('name=${NAME}\n');
    });
  });

  it('COPY --from an image that is not a stage', async () => {
    const { imageId } = await buildText(
      'FROM scratch\nCOPY --from=busybox:latest /bin/busybox /etc/passwd /from-image/\n',
    );
    await env.inspect(imageId, (r) => {
      expect(lstatSync(join(r, 'from-image/busybox')).mode & 0o111).not.toBe(0);
      expect(read(r, 'from-image/passwd')).toContain('root:x:0:0');
    });
    const image = (await env.store.get(imageId))!;
    expect(image.config.rootfs.diff_ids).toHaveLength(1);
  });

  it('a POST /build body that is not an archive is the Dockerfile itself (docker build - < Dockerfile)', async () => {
    const { Readable } = await import('node:stream');
    const { imageId } = await env.builder.build({
      context: Readable.from([Buffer.from('FROM busybox\nENV FROM_STDIN=1\n')]),
    });
    expect((await env.store.get(imageId))!.config.config!.Env).toContain('FROM_STDIN=1');
    const bz = env.builder.build({ context: Readable.from([Buffer.from('BZh91AY&SY')]) });
    await expect(bz).rejects.toMatchObject({ code: 'EUNSUPPORTED' });
  });

  it('takes the context from a tar stream (as POST /build sends it)', async () => {
    const dir = env.context({
      Dockerfile: 'FROM busybox\nCOPY . /ctx/\n',
      'f.txt': 'from tar',
      'ignored.log': 'x',
      '.dockerignore': '*.log\n',
    });
    const { imageId } = await env.builder.build({ context: packDir(dir) });
    await env.inspect(imageId, (r) => {
      expect(read(r, 'ctx/f.txt')).toBe('from tar');
      expect(() => lstatSync(join(r, 'ctx/ignored.log'))).toThrow();
    });
  });
});

describe('build: errors', () => {
  it('a syntax error names line and column', async () => {
    const err = await buildError('FROM busybox\nRUN true\n  BOGUS x\n');
    expect(err).toMatchObject({ code: 'ESYNTAX', line: 3, column: 3 });
    expect(err.message).toBe('Dockerfile:3:3: unknown instruction: BOGUS');
  });

  it('a bad substitution names the line', async () => {
    const err = await buildError('FROM busybox\nENV X=${Y:?required}\n');
    expect(err).toMatchObject({ code: 'ESYNTAX', line: 2 });
    expect(err.message).toMatch(/Y: required/);
  });

  it('a bad tag is refused before anything runs', async () => {
    const err = await buildError('FROM busybox\nENV X=1\n', {}, { tags: ['Bad:Tag:x'] });
    expect(err).toMatchObject({ code: 'EINVALID' });
    expect(err.message).toMatch(/invalid reference format/);
  });

  it('an unknown --target and a missing base image are clear', async () => {
    expect((await buildError('FROM busybox AS a\n', {}, { target: 'nope' })).message).toMatch(/target nope/);
  });
});
