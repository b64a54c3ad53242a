// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${VAR}
// Dockerfiles with RUN steps, built from the busybox fixture and checked by running the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError } from './errors.js';
import { eventLog, makeTestEnv, type TestEnv } from './test-support.js';

let env: TestEnv;

beforeAll(async () => {
  env = await makeTestEnv();
}, 60_000);

afterAll(async () => {
  await env?.close();
});

async function build(
  dockerfile: string,
  extra: Record<string, unknown> = {},
  files: Record<string, string> = {},
) {
  const log = eventLog();
  const dir = env.context({ Dockerfile: dockerfile, ...files });
  const result = await env.builder.build({ context: dir, onProgress: log.on, ...extra });
  return { ...result, log };
}

async function output(imageId: string, script: string): Promise<string> {
  const r = await env.run(imageId, ['/bin/sh', '-c', script]);
  expect(r.exitCode).toBe(0);
  return r.output;
}

describe('RUN steps in real containers', () => {
  it('ARG before FROM is global (FROM and re-declared ARGs see it), --build-arg overrides, ENV shadows ARG', async () => {
    const { imageId, warnings } = await build(
      [
        'ARG BASE=busybox',
        'ARG GLOBAL=g1',
        'FROM ${BASE}:latest',
        'RUN echo "before redeclare: [$GLOBAL]" > /out',
        'ARG GLOBAL',
        'ARG LOCAL=l1',
        'ENV E1=$LOCAL-env',
        'RUN echo "global=$GLOBAL local=$LOCAL e1=$E1" >> /out',
        'ENV LOCAL=from-env',
        'RUN echo "local=$LOCAL" >> /out',
      ].join('\n'),
      { buildArgs: { LOCAL: 'cli', NOTDECLARED: 'x' } },
    );
    expect(await output(imageId, 'cat /out')).toBe(
      'before redeclare: []\nglobal=g1 local=cli e1=cli-env\nlocal=from-env\n',
    );
    const config = (await env.store.get(imageId))!.config;
    // build args are not kept in the image's environment, only ENV is
    expect(config.config?.Env).toEqual(expect.arrayContaining(['E1=cli-env', 'LOCAL=from-env']));
    expect(config.config?.Env?.some((e) => e.startsWith('GLOBAL='))).toBe(false);
    // the RUN's history shows the args it saw, as Docker's does
    expect(
      config.history?.some((h) => h.created_by?.startsWith('|2 GLOBAL=g1 LOCAL=cli /bin/sh -c echo "global')),
    ).toBe(true);
    expect(warnings.join()).toMatch(/build-args \[NOTDECLARED\] were not consumed/);
  });

  it('multi-stage: COPY --from a stage by name and index; --target builds only the stages it needs', async () => {
    const dockerfile = [
      'FROM busybox AS build',
      'RUN mkdir -p /src && echo built > /src/app && echo extra > /src/extra',
      'FROM busybox AS broken',
      'RUN exit 1',
      'FROM busybox',
      'COPY --from=build /src/app /app/',
      'COPY --from=0 /src/ /all/',
      'CMD ["cat", "/app/app"]',
    ].join('\n');
    const { imageId } = await build(dockerfile);
    expect(await output(imageId, 'cat /app/app /all/app /all/extra')).toBe('built\nbuilt\nextra\n');
    const target = await build(dockerfile, { target: 'build' });
    expect(await output(target.imageId, 'cat /src/app; test ! -e /app')).toBe('built\n');
    const broken = await build(dockerfile, { target: 'broken' }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(BuildError);
  });

  it('USER runs later steps as that user, who can write files COPY --chown gave it; WORKDIR is created', async () => {
    const { imageId } = await build(
      [
        'FROM busybox',
        'RUN echo "app:x:1234:1234::/home/app:/bin/sh" >> /etc/passwd && echo "app:x:1234:" >> /etc/group',
        'WORKDIR /data/deep',
        'COPY --chown=app:app owned.txt ./',
        'COPY root.txt ./',
        'USER app',
        'RUN id -u > /tmp/uid && echo more >> owned.txt && ! (echo no >> root.txt) 2>/dev/null',
      ].join('\n'),
      {},
      { 'owned.txt': 'mine\n', 'root.txt': 'root\n' },
    );
    expect(await output(imageId, 'cat /tmp/uid; cat owned.txt; pwd; stat -c %u:%g owned.txt root.txt')).toBe(
      '1234\nmine\nmore\n/data/deep\n1234:1234\n0:0\n',
    );
  });

  it('RUN heredocs: a script, a shebang script, and a heredoc fed to a command', async () => {
    const { imageId } = await build(
      [
        'FROM busybox',
        'ARG WHO=world',
        'RUN <<EOF',
        'echo "hello $WHO" > /greet',
        'echo second >> /greet',
        'EOF',
        'RUN <<EOF',
        '#!/bin/sh -e',
        'echo "from shebang $0" > /shebang',
        'EOF',
        'RUN cat <<EOT > /fed',
        'line1',
        'EOT',
      ].join('\n'),
    );
    const out = await output(
      imageId,
      'cat /greet /fed; grep -c "from shebang" /shebang; ls -a / | grep -c berth-heredoc || true',
    );
    expect(out).toBe('hello world\nsecond\nline1\n1\n0\n');
  });

  it('ONBUILD triggers are recorded, then run in the child build and dropped from its image', async () => {
    await build('FROM busybox\nONBUILD RUN echo triggered > /onbuild\nONBUILD ENV FROM_TRIGGER=1\n', {
      tags: ['berth-test-onbuild:latest'],
    });
    const base = await env.store.get('berth-test-onbuild:latest');
    expect(base?.config.config?.OnBuild).toEqual(['RUN echo triggered > /onbuild', 'ENV FROM_TRIGGER=1']);
    const { imageId, log } = await build('FROM berth-test-onbuild\nRUN cat /onbuild\n');
    expect(log.events.some((e) => e.type === 'triggers' && e.count === 2)).toBe(true);
    expect(log.events.some((e) => e.type === 'output' && e.data === 'triggered\n')).toBe(true);
    const child = (await env.store.get(imageId))!.config.config!;
    expect(child.OnBuild ?? []).toEqual([]);
    expect(child.Env).toContain('FROM_TRIGGER=1');
  });

  it('RUN has no network unless --network host, and SHELL changes the shell form', async () => {
    const { imageId, log } = await build(
      ['FROM busybox', 'RUN ls /sys/class/net > /ifaces', 'SHELL ["/bin/sh", "-xc"]', 'RUN echo traced'].join(
        '\n',
      ),
    );
    expect(await output(imageId, 'cat /ifaces')).toBe('lo\n');
    const printed = log.events.flatMap((e) => (e.type === 'output' ? [e.data] : [])).join('');
    expect(printed).toContain('+ echo traced');
    const host = await build('FROM busybox\nRUN --network=host ls /sys/class/net > /ifaces\n');
    expect((await output(host.imageId, 'cat /ifaces')).split('\n').length).toBeGreaterThan(2);
  });

  it('docker build --memory and --shm-size limit the RUN containers', async () => {
    const { imageId } = await build(
      'FROM busybox\nRUN cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /limit; df -k /dev/shm | tail -1 > /shm\n',
      { limits: { memory: 64 * 1024 * 1024, shmSize: 8 * 1024 * 1024 } },
    );
    expect(await output(imageId, 'cat /limit')).toBe(`${64 * 1024 * 1024}\n`);
    expect((await output(imageId, 'cat /shm')).split(/\s+/)[1]).toBe('8192');
  });

  it('proxy build args reach RUN without an ARG line and stay out of the history', async () => {
    const { imageId } = await build('FROM busybox\nRUN echo "proxy=$HTTP_PROXY" > /proxy\n', {
      buildArgs: { HTTP_PROXY: 'http://proxy.invalid:3128' },
    });
    expect(await output(imageId, 'cat /proxy')).toBe('proxy=http://proxy.invalid:3128\n');
    const history = (await env.store.get(imageId))!.config.history ?? [];
    expect(JSON.stringify(history)).not.toContain('proxy.invalid');
  });

  it('aborting the signal kills the running step and rejects with ECANCELED', async () => {
    const controller = new AbortController();
    const dir = env.context({ Dockerfile: 'FROM busybox\nRUN echo started; sleep 60\n' });
    const result = env.builder.build({
      context: dir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'output' && e.data.includes('started')) controller.abort();
      },
    });
    await expect(result).rejects.toMatchObject({ code: 'ECANCELED' });
    const active: string[] = [];
    env.snapshotter.walk((i) => {
      if (i.kind === 'active') active.push(i.name);
    });
    expect(active).toEqual([]);
  });

  it('a missing inherited working directory is made for RUN; a missing program is a clear error', async () => {
    const base = await build('FROM busybox\nWORKDIR /made\nRUN rmdir /made\n', {
      tags: ['berth-test-nowd:1'],
    });
    expect(base.imageId).toMatch(/^sha256:/);
    const { imageId } = await build('FROM berth-test-nowd:1\nRUN pwd > /wd\n');
    expect(await output(imageId, 'cat /wd')).toBe('/made\n');
    const err = (await build('FROM busybox\nRUN ["/no/such/program"]\n').catch(
      (e: unknown) => e,
    )) as BuildError;
    expect(err).toBeInstanceOf(BuildError);
    expect(err).toMatchObject({ code: 'ERUN', line: 2 });
  });

  it('RUN sees /etc/hosts and /etc/hostname like a Docker container; they do not end up in the layer', async () => {
    const { imageId } = await build(
      'FROM busybox\nRUN cat /etc/hosts > /h && hostname > /hn && cat /etc/hostname > /etchn\n',
    );
    const out = await output(
      imageId,
      'cat /h /hn /etchn; test -e /etc/hosts && echo has-hosts || echo no-hosts; cat /etc/hostname',
    );
    const [hosts, ...rest] = out.split('\n::1');
    expect(hosts).toContain('127.0.0.1\tlocalhost');
    expect(rest.join('')).toMatch(/\n([0-9a-f]{12})\n\1\nno-hosts\nberth\n$/);
  });

  it('a failing RUN names the step and its exit code, and leaves no snapshot behind', async () => {
    const before: string[] = [];
    env.snapshotter.walk((i) => before.push(i.name));
    const err = (await build('FROM busybox\nENV A=1\nRUN echo out; exit 3\n').catch(
      (e: unknown) => e,
    )) as BuildError;
    expect(err).toBeInstanceOf(BuildError);
    expect(err).toMatchObject({
      code: 'ERUN',
      exitCode: 3,
      line: 3,
      step: 'Step 3/3 : RUN echo out; exit 3',
    });
    expect(err.message).toBe("The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3");
    const after: string[] = [];
    env.snapshotter.walk((i) => {
      if (i.kind === 'active') after.push(i.name);
    });
    expect(after).toEqual([]);
  });
});
