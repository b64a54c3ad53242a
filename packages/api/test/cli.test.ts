import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCKER, docker, type Harness, startFake } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(async () => {
  await h.close();
});

describe('the real docker CLI 28 against the fake backend', () => {
  it('docker version shows the server with API 1.50', async () => {
    const r = await docker(h, [
      'version',
      '--format',
      '{{.Server.APIVersion}} {{.Server.Version}} {{.Client.APIVersion}}',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1.50 0.0.0-fake 1.50');
  });

  it('docker run prints the output and returns the exit code (attach hijack + wait next-exit before start)', async () => {
    const r = await docker(h, ['run', '--name', 'berth-t1', 'busybox', 'echo', 'hello', 'berth']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello berth\n');
    expect(r.code).toBe(0);
    const order = h.backend.calls.map((c) => c.method);
    expect(order.indexOf('containerWait')).toBeLessThan(order.indexOf('containerStart'));
    expect(h.backend.calls.find((c) => c.method === 'containerWait')?.args[1]).toBe('next-exit');
  });
});

describe('docker CLI: containers', () => {
  it('docker run returns the container exit code and keeps stderr apart', async () => {
    const r = await docker(h, ['run', 'busybox', 'sh', '-c', 'exit 3']);
    expect(r.code).toBe(3);
    const e = await docker(h, ['run', 'busybox', 'err', 'to', 'stderr']);
    expect(e.stdout).toBe('');
    expect(e.stderr).toBe('to stderr\n');
  });

  it('docker run -i passes stdin through the hijacked connection', async () => {
    const r = await docker(h, ['run', '-i', 'busybox', 'cat'], 'line one\nline two\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('line one\nline two\n');
    expect(r.code).toBe(0);
  });

  it('docker run --rm waits for removal; docker run -d prints the id', async () => {
    const r = await docker(h, ['run', '--rm', 'busybox', 'echo', 'gone']);
    expect(r.stdout).toBe('gone\n');
    expect(r.code).toBe(0);
    expect(h.backend.containers.size).toBe(0);
    const d = await docker(h, ['run', '-d', '--name', 'berth-bg', 'busybox', 'sleep']);
    expect(d.code).toBe(0);
    expect(d.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('docker run of a missing image pulls it through the progress stream, then runs', async () => {
    const r = await docker(h, ['run', 'alpine:3', 'echo', 'pulled']);
    expect(r.stderr).toContain("Unable to find image 'alpine:3' locally");
    expect(r.stdout).toBe('pulled\n');
    expect(r.code).toBe(0);
  });

  it('docker ps, inspect, logs, stop, rm', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-ps', 'busybox', 'sleep']);
    const ps = await docker(h, ['ps', '--format', '{{.Names}} {{.Status}}']);
    expect(ps.stdout.trim()).toBe('berth-ps Up 1 second');
    const insp = await docker(h, ['inspect', '--format', '{{.State.Running}} {{.Name}}', 'berth-ps']);
    expect(insp.stdout.trim()).toBe('true /berth-ps');
    const rmRunning = await docker(h, ['rm', 'berth-ps']);
    expect(rmRunning.code).not.toBe(0);
    expect(rmRunning.stderr).toContain('container is running');
    const stop = await docker(h, ['stop', 'berth-ps']);
    expect(stop.code).toBe(0);
    const rm = await docker(h, ['rm', 'berth-ps']);
    expect(rm.stdout.trim()).toBe('berth-ps');

    await docker(h, ['run', '--name', 'berth-logs', 'busybox', 'err', 'e1']);
    const logs = await docker(h, ['logs', 'berth-logs']);
    expect(logs.stdout).toBe('');
    expect(logs.stderr).toBe('e1\n');
    const missing = await docker(h, ['logs', 'berth-nosuch']);
    expect(missing.stderr).toContain('No such container: berth-nosuch');
  });

  it('docker exec streams output, passes stdin and returns the exec exit code', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-exec', 'busybox', 'sleep']);
    const e = await docker(h, ['exec', 'berth-exec', 'echo', 'in', 'exec']);
    expect(e.stdout).toBe('in exec\n');
    expect(e.code).toBe(0);
    const code = await docker(h, ['exec', 'berth-exec', 'sh', '-c', 'exit 7']);
    expect(code.code).toBe(7);
    const i = await docker(h, ['exec', '-i', 'berth-exec', 'cat'], 'piped\n');
    expect(i.stdout).toBe('piped\n');
  });

  it('docker stats --no-stream reads one sample', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-stats', 'busybox', 'sleep']);
    const s = await docker(h, ['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', 'berth-stats']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('berth-stats');
  });
});

describe('docker CLI pinned to older API versions', () => {
  for (const v of ['1.41', '1.44']) {
    it(`DOCKER_API_VERSION=${v}: run (attach/wait/start), exec and ps work`, async () => {
      const env = { DOCKER_API_VERSION: v };
      const r = await docker(
        h,
        ['run', '--name', 'berth-old', 'busybox', 'err', 'old', 'api'],
        undefined,
        env,
      );
      expect(r.stderr).toBe('old api\n');
      expect(r.code).toBe(0);
      await docker(h, ['run', '-d', '--name', 'berth-old-bg', 'busybox', 'sleep'], undefined, env);
      expect((await docker(h, ['exec', 'berth-old-bg', 'echo', 'x'], undefined, env)).stdout).toBe('x\n');
      const ps = await docker(h, ['ps', '-a', '--format', '{{.Names}}'], undefined, env);
      expect(ps.stdout.split('\n').sort()).toContain('berth-old');
    });
  }
});

describe('docker CLI: images, volumes, networks, system', () => {
  it('docker pull shows progress; a pull error is reported', async () => {
    const r = await docker(h, ['pull', 'alpine:3.20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Status: Downloaded newer image for alpine:3.20');
    const bad = await docker(h, ['pull', 'nosuch']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('pull access denied for docker.io/library/nosuch');
    const broken = await docker(h, ['pull', 'broken']);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('layer digest mismatch');
  });

  it('docker images, tag, rmi', async () => {
    const t = await docker(h, ['tag', 'busybox', 'berth/copy:1']);
    expect(t.code).toBe(0);
    const ls = await docker(h, ['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(ls.stdout.split('\n').sort()).toContain('berth/copy:1');
    const rmi = await docker(h, ['rmi', 'berth/copy:1']);
    expect(rmi.stdout).toContain('Untagged: berth/copy:1');
  });

  it('docker volume and network create, ls, inspect, rm', async () => {
    expect((await docker(h, ['volume', 'create', 'berth-vol'])).stdout.trim()).toBe('berth-vol');
    expect((await docker(h, ['volume', 'ls', '-q'])).stdout.trim()).toBe('berth-vol');
    expect((await docker(h, ['volume', 'rm', 'berth-vol'])).code).toBe(0);
    const net = await docker(h, ['network', 'create', 'berth-net']);
    expect(net.code).toBe(0);
    expect((await docker(h, ['network', 'ls', '--format', '{{.Name}}'])).stdout.trim()).toBe('berth-net');
    const dupe = await docker(h, ['network', 'create', 'berth-net']);
    expect(dupe.stderr).toContain('already exists');
    expect((await docker(h, ['network', 'rm', 'berth-net'])).code).toBe(0);
  });

  it('docker info and docker system df', async () => {
    const info = await docker(h, ['info', '--format', '{{.ServerVersion}} {{.OSType}}']);
    expect(info.stdout.trim()).toBe('0.0.0-fake linux');
    const df = await docker(h, ['system', 'df']);
    expect(df.code).toBe(0);
  });
});

describe('docker CLI: files, builds, archives, events, terminals', () => {
  it('docker cp out of and into a container (archive GET with the stat header, HEAD, PUT)', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-cp', 'busybox', 'sleep']);
    const out = join(h.dir, 'copied.txt');
    const get = await docker(h, ['cp', 'berth-cp:/real/hello.txt', out]);
    expect(get.stderr).toBe('');
    expect(await readFile(out, 'utf8')).toBe('hello\n');
    const put = await docker(h, ['cp', out, 'berth-cp:/tmp']);
    expect(put.stderr).toBe('');
    expect(h.backend.calls.find((c) => c.method === 'containerArchivePut')?.args[1]).toBe('/tmp');
    const tar = h.backend.lastPut!;
    expect(tar.subarray(0, 100).toString().replace(/\0+$/, '')).toBe('copied.txt');
  });

  it('docker build sends the context as the request body and prints the build stream', async () => {
    const ctx = join(h.dir, 'ctx');
    await mkdir(ctx);
    await writeFile(join(ctx, 'Dockerfile'), 'FROM busybox\n');
    const r = await docker(h, ['build', '-t', 'berth/built:1', ctx], undefined, { DOCKER_BUILDKIT: '0' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Step 1\/1 : FROM busybox \(context \d+ bytes\)/);
    expect(r.stdout).toContain('Successfully tagged berth/built:1');
  });

  it('docker save and docker load stream tars both ways', async () => {
    const file = join(h.dir, 'img.tar');
    const save = await docker(h, ['save', '-o', file, 'busybox']);
    expect(save.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('saved:busybox');
    const load = await docker(h, ['load', '-i', file]);
    expect(load.stdout.trim()).toBe('Loaded image: loaded:13');
  });

  it('docker events --since/--until replays and ends', async () => {
    await docker(h, ['create', '--name', 'berth-ev', 'busybox', 'echo']);
    const now = Math.floor(Date.now() / 1000);
    const r = await docker(h, [
      'events',
      '--since',
      String(now - 60),
      '--until',
      String(now + 1),
      '--format',
      '{{.Type}} {{.Action}}',
    ]);
    expect(r.stdout.trim().split('\n')).toContain('container create');
  });

  it('docker run -t under a pseudo-terminal gets raw output and resizes the container', async () => {
    const cmd = `stty rows 40 cols 100; DOCKER_HOST=unix://${h.socketPath} DOCKER_CONFIG=${h.dir}/docker-config ${DOCKER} run -t --name berth-tty busybox echo on-a-tty`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: 20_000,
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end();
    });
    expect(r.out).toContain('on-a-tty');
    expect(r.code).toBe(0);
    expect(h.backend.lastCreate?.Tty).toBe(true);
    const resize = h.backend.calls.find((c) => c.method === 'containerResize');
    expect(resize?.args[1]).toEqual({ height: 40, width: 100 });
  });
});

describe('docker CLI: the rest of the container lifecycle and prunes', () => {
  it('rename, pause, unpause, top, diff, update, kill, restart, wait, export, commit', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-life', 'busybox', 'sleep']);
    expect((await docker(h, ['rename', 'berth-life', 'berth-life2'])).code).toBe(0);
    expect((await docker(h, ['pause', 'berth-life2'])).stdout.trim()).toBe('berth-life2');
    expect((await docker(h, ['unpause', 'berth-life2'])).stdout.trim()).toBe('berth-life2');
    const top = await docker(h, ['top', 'berth-life2']);
    expect(top.stdout).toMatch(/PID\s+CMD/);
    expect((await docker(h, ['diff', 'berth-life2'])).stdout.trim()).toBe('C /tmp');
    expect((await docker(h, ['update', '--memory', '64m', 'berth-life2'])).code).toBe(0);
    const out = join(h.dir, 'rootfs.tar');
    expect((await docker(h, ['export', '-o', out, 'berth-life2'])).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('fake-tar-bytes');
    const commit = await docker(h, ['commit', '-c', 'ENV A=1', 'berth-life2', 'berth/committed:1']);
    expect(commit.stdout.trim()).toBe('sha256:committed');
    expect((await docker(h, ['restart', 'berth-life2'])).code).toBe(0);
    const wait = docker(h, ['wait', 'berth-life2']);
    await h.backend.called('containerWait');
    expect((await docker(h, ['kill', '-s', 'KILL', 'berth-life2'])).code).toBe(0);
    expect((await wait).stdout.trim()).toBe('137');
    const killAgain = await docker(h, ['kill', 'berth-life2']);
    expect(killAgain.stderr).toContain('is not running');
  });

  it('docker create + start -a attaches and returns the output', async () => {
    await docker(h, ['create', '--name', 'berth-sa', 'busybox', 'echo', 'started']);
    const r = await docker(h, ['start', '-a', 'berth-sa']);
    expect(r.stdout).toBe('started\n');
  });

  it('prunes answer in Docker shapes; search is refused clearly', async () => {
    await docker(h, ['run', 'busybox', 'echo']);
    expect((await docker(h, ['container', 'prune', '-f'])).stdout).toMatch(/Deleted Containers:/);
    const sys = await docker(h, ['system', 'prune', '-f']);
    expect(sys.code).toBe(0);
    expect(sys.stdout).toContain('Total reclaimed space');
    const search = await docker(h, ['search', 'busybox']);
    expect(search.code).not.toBe(0);
    expect(search.stderr).toContain('not supported');
  });
});

describe('docker CLI create bodies pass validation', () => {
  it('docker create with ~80 flags: 201, and the body reaches the backend as the CLI sent it', async () => {
    const r = await docker(h, [
      'create',
      '--name',
      'berth-flags',
      '-e',
      'A=1',
      '--env',
      'B=2',
      '-l',
      'k=v',
      '-p',
      '8080:80',
      '-p',
      '127.0.0.1:5353:53/udp',
      '--expose',
      '9000',
      '-v',
      '/tmp:/host-tmp:ro',
      '-v',
      'named:/data',
      '--mount',
      'type=tmpfs,destination=/run,tmpfs-size=64m',
      '--mount',
      'type=bind,source=/etc,target=/etc2,readonly',
      '--tmpfs',
      '/cache:size=10m',
      '--memory',
      '128m',
      '--memory-swap',
      '256m',
      '--memory-reservation',
      '64m',
      '--cpus',
      '1.5',
      '--cpu-shares',
      '512',
      '--cpuset-cpus',
      '0',
      '--pids-limit',
      '100',
      '--ulimit',
      'nofile=1024:2048',
      '--shm-size',
      '32m',
      '--cap-add',
      'NET_ADMIN',
      '--cap-drop',
      'MKNOD',
      '--security-opt',
      'no-new-privileges',
      '--privileged=false',
      '--read-only',
      '--init',
      '--restart',
      'on-failure:3',
      '--health-cmd',
      'true',
      '--health-interval',
      '5s',
      '--health-retries',
      '2',
      '--health-start-period',
      '1s',
      '--health-timeout',
      '2s',
      '--add-host',
      'db:10.0.0.2',
      '--dns',
      '1.1.1.1',
      '--dns-search',
      'example.com',
      '--dns-option',
      'ndots:2',
      '--hostname',
      'h1',
      '--domainname',
      'd1',
      '--user',
      '1000:1000',
      '--workdir',
      '/w',
      '--entrypoint',
      '/bin/sh',
      '--sysctl',
      'net.ipv4.ip_forward=1',
      '--log-driver',
      'json-file',
      '--log-opt',
      'max-size=10m',
      '--stop-signal',
      'SIGINT',
      '--stop-timeout',
      '5',
      '--device',
      '/dev/null:/dev/mynull:rw',
      '--blkio-weight',
      '300',
      '--oom-score-adj',
      '100',
      '--group-add',
      '10',
      '--ipc',
      'private',
      '--pid',
      'host',
      '--uts',
      'host',
      '--cgroupns',
      'private',
      '--mac-address',
      '02:42:ac:11:00:02',
      '--platform',
      'linux/amd64',
      '-it',
      '--annotation',
      'a=b',
      '--runtime',
      'runc',
      '--storage-opt',
      'size=1G',
      '--memory-swappiness',
      '10',
      '--kernel-memory',
      '0',
      '--oom-kill-disable',
      '--cpu-period',
      '100000',
      '--cpu-quota',
      '50000',
      '--device-cgroup-rule',
      'c 1:3 mr',
      '--label',
      'z=1',
      'busybox',
      '-c',
      'echo hi',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const b = h.backend.lastCreate!;
    expect(b.Entrypoint).toEqual(['/bin/sh']);
    expect(b.Cmd).toEqual(['-c', 'echo hi']);
    expect(b.Healthcheck).toMatchObject({ Test: ['CMD-SHELL', 'true'], Interval: 5_000_000_000 });
    expect(b.HostConfig).toMatchObject({
      Memory: 134217728,
      NanoCpus: 1_500_000_000,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      PortBindings: {
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
        '80/tcp': [{ HostIp: '', HostPort: '8080' }],
      },
      Mounts: [
        { Target: '/run', Type: 'tmpfs', TmpfsOptions: { SizeBytes: 67108864 } },
        { Target: '/etc2', Source: '/etc', Type: 'bind', ReadOnly: true },
      ],
      Init: true,
      ReadonlyRootfs: true,
      CapAdd: ['CAP_NET_ADMIN'],
    });
  });

  it('docker create on a user network with aliases, a fixed IP, links, throttles and --gpus', async () => {
    const r = await docker(h, [
      'create',
      '--network',
      'berth-net',
      '--network-alias',
      'x',
      '--ip',
      '172.30.0.5',
      '--device-read-bps',
      '/dev/null:1mb',
      '--device-write-iops',
      '/dev/null:100',
      '--blkio-weight-device',
      '/dev/null:200',
      '--gpus',
      'all',
      '--link',
      'other:o',
      '--volumes-from',
      'other',
      '--publish-all',
      '--rm',
      'busybox',
    ]);
    expect(r.stderr).toBe('');
    const b = h.backend.lastCreate!;
    expect(b.NetworkingConfig?.EndpointsConfig?.['berth-net']).toMatchObject({
      IPAMConfig: { IPv4Address: '172.30.0.5' },
      Aliases: ['x'],
    });
    expect(b.HostConfig).toMatchObject({
      AutoRemove: true,
      BlkioDeviceReadBps: [{ Path: '/dev/null', Rate: 1048576 }],
      DeviceRequests: [{ Count: -1, Capabilities: [['gpu']] }],
    });
  });
});

describe('docker CLI: other bodies and queries with many flags pass validation', () => {
  it('exec, update, network create, volume create, build and commit with their flags', async () => {
    await docker(h, ['run', '-d', '--name', 'berth-many', 'busybox', 'sleep']);
    const ex = await docker(h, [
      'exec',
      '-e',
      'X=1',
      '-u',
      '0',
      '-w',
      '/',
      '--privileged',
      'berth-many',
      'echo',
      'ok',
    ]);
    expect(ex.stdout).toBe('ok\n');
    const det = await docker(h, ['exec', '-d', '--detach-keys', 'ctrl-a,x', 'berth-many', 'sleep']);
    expect(det.stderr).toBe('');
    const up = await docker(h, [
      'update',
      '--cpus',
      '1',
      '--memory',
      '64m',
      '--memory-swap',
      '128m',
      '--restart',
      'always',
      '--pids-limit',
      '50',
      '--cpu-shares',
      '100',
      '--blkio-weight',
      '200',
      'berth-many',
    ]);
    expect(up.stderr).toBe('');
    const net = await docker(h, [
      'network',
      'create',
      '--driver',
      'bridge',
      '--subnet',
      '172.31.0.0/16',
      '--gateway',
      '172.31.0.1',
      '--ip-range',
      '172.31.5.0/24',
      '--aux-address',
      'r=172.31.0.2',
      '--internal',
      '--attachable',
      '--ipv6=false',
      '--label',
      'l=1',
      '--opt',
      'com.docker.network.bridge.name=berth9',
      'berth-many-net',
    ]);
    expect(net.stderr).toBe('');
    const vol = await docker(h, [
      'volume',
      'create',
      '--driver',
      'local',
      '--opt',
      'type=tmpfs',
      '--opt',
      'device=tmpfs',
      '--label',
      'l=1',
      'berth-many-vol',
    ]);
    expect(vol.stdout.trim()).toBe('berth-many-vol');
    const ctx = join(h.dir, 'ctx-many');
    await mkdir(ctx);
    await writeFile(join(ctx, 'Dockerfile'), 'FROM busybox\n');
    const b = await docker(
      h,
      [
        'build',
        '-f',
        join(ctx, 'Dockerfile'),
        '-t',
        'berth/many:1',
        '-t',
        'berth/many:2',
        '--build-arg',
        'A=1',
        '--label',
        'x=y',
        '--target',
        't',
        '--network',
        'none',
        '--no-cache',
        '--pull',
        '--platform',
        'linux/amd64',
        '--add-host',
        'h:1.2.3.4',
        '--shm-size',
        '64m',
        '--ulimit',
        'nofile=10:20',
        '--cache-from',
        'busybox',
        '--memory',
        '256m',
        '--cpu-shares',
        '10',
        '--iidfile',
        join(h.dir, 'iid'),
        '-q',
        ctx,
      ],
      undefined,
      { DOCKER_BUILDKIT: '0' },
    );
    expect(b.code).toBe(0);
    const commit = await docker(h, [
      'commit',
      '-a',
      'me',
      '-m',
      'msg',
      '-c',
      'CMD ["sh"]',
      '-c',
      'EXPOSE 80',
      '--pause=false',
      'berth-many',
      'berth/many:c',
    ]);
    expect(commit.stdout.trim()).toBe('sha256:committed');
  });
});

describe('docker CLI: volume of data through hijacked streams', () => {
  it('docker run -i cat passes 4 MiB of stdin through and back intact', async () => {
    const input = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < input.length; i++) input[i] = 97 + (i % 26);
    const r = await docker(h, ['run', '-i', 'busybox', 'cat'], input.toString('latin1'));
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout === input.toString('latin1')).toBe(true);
  });
});
