import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Flags, parseFlags } from '../flags.js';
import { COMMANDS, findCommand } from '../registry.js';
import { buildCreateBody } from './container.js';
import { buildEnv, parseEnvEntry } from './env.js';
import { parseMount, parseTmpfs, parseVolumes } from './mounts.js';
import { parsePortSpec, parsePorts } from './ports.js';

const run = findCommand(COMMANDS, 'run')!;
const createBody = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const p = parseFlags(argv, run.flags, { interspersed: false, command: 'berth run' });
  return buildCreateBody(new Flags(p.flags), p.args, env, { detached: p.flags.detach === true });
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('-e and --env-file', () => {
  it('keeps KEY=VALUE, fills a bare KEY from the environment, leaves an unknown KEY bare', () => {
    expect(parseEnvEntry('A=1=2', {})).toBe('A=1=2');
    expect(parseEnvEntry('HOME', { HOME: '/root' })).toBe('HOME=/root');
    expect(parseEnvEntry('NOPE', {})).toBe('NOPE');
  });

  it('reads env files (comments and blank lines skipped) before -e', () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-cli-env-'));
    const file = join(dir, 'env');
    writeFileSync(file, '# comment\n\nA=1\nB\n  C=3\n');
    expect(buildEnv(['A=2'], [file], { B: 'b' })).toEqual(['A=1', 'B=b', 'C=3', 'A=2']);
  });
});

describe('-p specs', () => {
  it.each([
    ['80', { '80/tcp': [{ HostIp: '', HostPort: '' }] }],
    ['8080:80', { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }],
    ['127.0.0.1:8080:80/udp', { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }],
    ['127.0.0.1::80', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }],
    ['[::1]:8080:80', { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }],
    [
      '8000-8001:80-81',
      { '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }] },
    ],
    ['8000-8010:80', { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] }],
  ])('%s', (spec, bindings) => {
    const r = parsePortSpec(spec);
    expect(r.bindings).toEqual(bindings);
    expect(Object.keys(r.exposed).sort()).toEqual(Object.keys(bindings).sort());
  });

  it('refuses bad specs with docker messages', () => {
    expect(() => parsePortSpec('abc')).toThrow('invalid containerPort: abc');
    expect(() => parsePortSpec('8000-8002:80-81')).toThrow('invalid ranges specified');
    expect(() => parsePortSpec('80/xyz')).toThrow('invalid proto: xyz');
    expect(() => parsePortSpec('70000:80')).toThrow('invalid hostPort: 70000');
  });

  it('adds --expose ports without bindings', () => {
    expect(parsePorts([], ['90-91/udp']).exposed).toEqual({ '90/udp': {}, '91/udp': {} });
  });
});

describe('--mount, -v and --tmpfs', () => {
  it('parses bind, volume and tmpfs mounts with docker keys and aliases', () => {
    expect(parseMount('type=bind,src=/a,dst=/b,readonly')).toEqual({
      Type: 'bind',
      Source: '/a',
      Target: '/b',
      ReadOnly: true,
    });
    expect(parseMount('type=bind,source=/a,target=/b,bind-propagation=rslave,ro=false')).toEqual({
      Type: 'bind',
      Source: '/a',
      Target: '/b',
      ReadOnly: false,
      BindOptions: { Propagation: 'rslave' },
    });
    expect(parseMount('source=data,target=/data,volume-label=a=b,volume-nocopy')).toEqual({
      Type: 'volume',
      Source: 'data',
      Target: '/data',
      VolumeOptions: { Labels: { a: 'b' }, NoCopy: true },
    });
    expect(parseMount('type=tmpfs,destination=/run,tmpfs-size=64m,tmpfs-mode=1770')).toEqual({
      Type: 'tmpfs',
      Target: '/run',
      TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1770 },
    });
  });

  it('refuses incomplete or mixed --mount specs', () => {
    expect(() => parseMount('type=bind,target=/b')).toThrow('source is required when specifying bind mount');
    expect(() => parseMount('type=volume,src=x')).toThrow('target is required');
    expect(() => parseMount('type=bind,src=/a,dst=/b,volume-nocopy')).toThrow(
      "cannot mix 'volume-*' options",
    );
    expect(() => parseMount('type=nfs,dst=/b')).toThrow('invalid mount type: nfs');
    expect(() => parseMount('type=bind,src=/a,dst=/b,bogus=1')).toThrow("unexpected key 'bogus'");
  });

  it('splits -v into binds and anonymous volumes, resolving relative host paths', () => {
    expect(parseVolumes(['/h:/c:ro', 'named:/data', '/anon', './rel:/r'], '/work')).toEqual({
      binds: ['/h:/c:ro', 'named:/data', '/work/rel:/r'],
      volumes: { '/anon': {} },
    });
    expect(() => parseVolumes(['rel'])).toThrow('mount path must be absolute');
  });

  it('keeps --tmpfs options as text', () => {
    expect(parseTmpfs(['/run:rw,size=64m', '/tmp'])).toEqual({ '/run': 'rw,size=64m', '/tmp': '' });
  });
});

describe('run flags → create body', () => {
  it('maps docker run flags to Config and HostConfig', () => {
    const { name, body } = createBody([
      '-it',
      '--rm',
      '--name',
      'web',
      '-e',
      'A=1',
      '-p',
      '8080:80',
      '-w',
      '/srv',
      '-u',
      '1000:1000',
      '--entrypoint',
      '/bin/sh',
      '--memory',
      '512m',
      '--cpus',
      '1.5',
      '--pids-limit',
      '64',
      '--read-only',
      '--cap-add',
      'NET_ADMIN',
      '--cap-drop',
      'ALL',
      '--privileged',
      '--init',
      '--network',
      'net1',
      '--label',
      'x=y',
      '--hostname',
      'h',
      '--tmpfs',
      '/run',
      '--mount',
      'type=volume,src=v,dst=/v',
      '-v',
      '/a:/b',
      'busybox',
      'echo',
      'hi',
    ]);
    expect(name).toBe('web');
    expect(body).toMatchObject({
      Image: 'busybox',
      Cmd: ['echo', 'hi'],
      Entrypoint: ['/bin/sh'],
      Env: ['A=1'],
      Tty: true,
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: '/srv',
      User: '1000:1000',
      Hostname: 'h',
      Labels: { x: 'y' },
      ExposedPorts: { '80/tcp': {} },
      HostConfig: {
        AutoRemove: true,
        Memory: 512 * 1024 * 1024,
        NanoCpus: 1.5e9,
        PidsLimit: 64,
        ReadonlyRootfs: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['ALL'],
        Privileged: true,
        Init: true,
        NetworkMode: 'net1',
        Binds: ['/a:/b'],
        Tmpfs: { '/run': '' },
        Mounts: [{ Type: 'volume', Source: 'v', Target: '/v' }],
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
        RestartPolicy: { Name: 'no' },
      },
    });
  });

  it('attaches nothing with -d and only stdout/stderr without -i', () => {
    expect(createBody(['-d', 'img']).body).toMatchObject({
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
    });
    expect(createBody(['img']).body).toMatchObject({
      AttachStdin: false,
      AttachStdout: true,
      OpenStdin: false,
    });
    expect(createBody(['-t', 'img']).body).toMatchObject({ Tty: true, AttachStdin: false });
  });

  it('parses restart policies and refuses --rm with a restart policy', () => {
    expect(createBody(['--restart', 'on-failure:3', 'img']).body).toMatchObject({
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
    });
    expect(() => createBody(['--rm', '--restart', 'always', 'img'])).toThrow(
      'cannot specify both --restart and --rm',
    );
    expect(() => createBody(['--restart', 'sometimes', 'img'])).toThrow("invalid restart policy 'sometimes'");
  });

  it('refuses bad --memory and --cpus values with the flag named', () => {
    expect(() => createBody(['-m', '12q', 'img'])).toThrow(
      `invalid argument "12q" for "-m, --memory" flag: invalid suffix: 'q'`,
    );
    expect(() => createBody(['--cpus', 'x', 'img'])).toThrow('for "--cpus" flag');
  });

  it('sends an empty entrypoint as [""] (reset the image entrypoint)', () => {
    expect(createBody(['--entrypoint', '', 'img']).body.Entrypoint).toEqual(['']);
  });
});
