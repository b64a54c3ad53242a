// berthd driven by the real Docker CLI 28 (/usr/local/bin/docker) over a private unix socket:
// import, run, ps, logs, exec, inspect, stop, rm, volumes, images, restart policies, errors that
// change nothing, and a graceful shutdown that leaves containers running.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cgroupsLeft,
  cleanupAll,
  DOCKER,
  docker,
  dockerEnv,
  dockerOk,
  makeRootfsTar,
  mountsUnder,
  processesUnder,
  startDaemon,
  stopDaemon,
  type TestDaemon,
  tempDir,
  uniqueCgroupParent,
} from './harness.js';

const IMAGE = 'berth-busybox:test';
let dir: string;
let cgroupParent: string;
let d: TestDaemon | undefined;
let registry: TestRegistry | undefined;

const daemon = (): TestDaemon => {
  if (!d) throw new Error('berthd did not start');
  return d;
};

beforeAll(async () => {
  if (!existsSync(DOCKER)) throw new Error(`${DOCKER} is needed for these tests`);
  dir = tempDir();
  cgroupParent = uniqueCgroupParent();
  const tar = makeRootfsTar(dir);
  registry = await startRegistry();
  d = await startDaemon(dir, cgroupParent, ['--insecure-registry', registry.host]);
  dockerOk(daemon(), ['import', tar, IMAGE]);
}, 60_000);

afterAll(async () => {
  try {
    if (d && d.proc.exitCode === null) {
      const ids = docker(d, ['ps', '-aq']).stdout.split('\n').filter(Boolean);
      if (ids.length) docker(d, ['rm', '-f', '-v', ...ids]);
      await stopDaemon(d);
    }
  } finally {
    await registry?.stop();
    await cleanupAll(d, dir, cgroupParent);
  }
  expect(processesUnder(cgroupParent)).toEqual([]);
  expect(cgroupsLeft(cgroupParent)).toEqual([]);
  expect(cgroupsLeft(`${cgroupParent}-build`)).toEqual([]);
}, 60_000);

function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const containerDirs = () => readdirSync(join(daemon().dataRoot, 'containers'));

// Each test is a scenario of many docker CLI calls against real containers: ~3 s on an idle machine,
// 15 s seen with ten suites at once; the shared 30 s per test is too close for a slower CI machine.
describe('berthd with the docker CLI', { timeout: 120_000 }, () => {
  it('docker import makes an image that docker images lists', () => {
    const out = dockerOk(daemon(), ['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(out.split('\n')).toContain(IMAGE);
  });

  it('docker run --rm <img> echo hi prints hi, exits 0 and leaves no container', () => {
    const r = docker(daemon(), ['run', '--rm', IMAGE, 'echo', 'hi']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hi\n');
    expect(r.code).toBe(0);
    expect(dockerOk(daemon(), ['ps', '-aq'])).toBe('');
  });

  it("a container with networking off has a network namespace with only lo, and lo is up (Docker's none)", () => {
    const out = dockerOk(daemon(), ['run', '--rm', IMAGE, 'ip', '-o', 'link']);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    const other = 'berth-cli-netns';
    dockerOk(daemon(), ['run', '-d', '--name', other, IMAGE, 'sh', '-c', 'nc -l -p 7777 -e echo joined']);
    let got = '';
    for (let i = 0; i < 20 && got !== 'joined'; i++)
      got = docker(daemon(), [
        'run',
        '--rm',
        '--network',
        `container:${other}`,
        IMAGE,
        'nc',
        '127.0.0.1',
        '7777',
      ]).stdout.trim();
    expect(got).toBe('joined');
    dockerOk(daemon(), ['rm', '-f', other]);
  });

  it('--hostname, --add-host, --dns, -w, -u, --stop-signal, labels and a custom entrypoint reach the container', () => {
    const out = dockerOk(daemon(), [
      'run',
      '--rm',
      '--hostname',
      'berth-host',
      '--add-host',
      'berth-db:10.9.8.7',
      '--dns',
      '9.9.9.9',
      '-w',
      '/tmp',
      '-u',
      '65534:65534',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'hostname; grep berth-db /etc/hosts; cat /etc/resolv.conf; pwd; id -u; id -g',
    ]);
    expect(out.split('\n')).toEqual([
      'berth-host',
      '10.9.8.7\tberth-db',
      'nameserver 9.9.9.9',
      '/tmp',
      '65534',
      '65534',
    ]);
    const name = 'berth-cli-config';
    dockerOk(daemon(), [
      'create',
      '--name',
      name,
      '--stop-signal',
      'SIGUSR2',
      '--label',
      'berth.test=yes',
      IMAGE,
      'true',
    ]);
    expect(
      dockerOk(daemon(), [
        'inspect',
        '-f',
        '{{.Config.StopSignal}} {{index .Config.Labels "berth.test"}}',
        name,
      ]),
    ).toBe('SIGUSR2 yes');
    expect(
      dockerOk(daemon(), ['ps', '-a', '--filter', 'label=berth.test=yes', '--format', '{{.Names}}']),
    ).toBe(name);
    dockerOk(daemon(), ['rm', name]);
  });

  it('docker run exits with the container exit code and separates stderr', () => {
    const r = docker(daemon(), ['run', '--rm', IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
  });

  it('docker run -d, ps, logs, exec, inspect, top, stop, rm', () => {
    const name = 'berth-cli-web';
    const id = dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      '-e',
      'GREETING=hello',
      IMAGE,
      'sh',
      '-c',
      'echo $GREETING; trap "exit 0" TERM; while true; do sleep 0.1; done',
    ]);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(dockerOk(daemon(), ['ps', '--format', '{{.Names}} {{.Status}}'])).toMatch(
      new RegExp(`^${name} Up `),
    );
    let logs = '';
    for (let i = 0; i < 50 && !logs; i++) logs = dockerOk(daemon(), ['logs', name]);
    expect(logs).toBe('hello');
    expect(dockerOk(daemon(), ['exec', name, 'sh', '-c', 'echo in-exec $GREETING; hostname'])).toBe(
      `in-exec hello\n${id.slice(0, 12)}`,
    );
    expect(docker(daemon(), ['exec', name, 'sh', '-c', 'exit 7']).code).toBe(7);
    const inspect = JSON.parse(dockerOk(daemon(), ['inspect', name]))[0];
    expect(inspect.Id).toBe(id);
    expect(inspect.State.Running).toBe(true);
    expect(inspect.Config.Env).toContain('GREETING=hello');
    expect(inspect.Name).toBe(`/${name}`);
    expect(dockerOk(daemon(), ['top', name])).toContain('sh -c');
    const aux = dockerOk(daemon(), ['top', name, 'aux']).split('\n');
    expect(aux[0]).toMatch(/^USER\s+PID\s+%CPU/);
    expect(aux.slice(1).some((l) => l.includes('sh -c'))).toBe(true);
    expect(dockerOk(daemon(), ['stop', '-t', '5', name])).toBe(name);
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name])).toBe(
      'exited 0',
    );
    expect(dockerOk(daemon(), ['rm', name])).toBe(name);
    expect(docker(daemon(), ['inspect', name]).code).not.toBe(0);
  });

  it('docker volume create/ls/inspect/rm, and a container writes into a named volume', () => {
    const vol = 'berth-cli-vol';
    expect(dockerOk(daemon(), ['volume', 'create', vol])).toBe(vol);
    expect(dockerOk(daemon(), ['volume', 'ls', '--format', '{{.Name}}']).split('\n')).toContain(vol);
    const mp = dockerOk(daemon(), ['volume', 'inspect', '-f', '{{.Mountpoint}}', vol]);
    dockerOk(daemon(), ['run', '--rm', '-v', `${vol}:/data`, IMAGE, 'sh', '-c', 'echo kept > /data/f']);
    expect(readFileSync(join(mp, 'f'), 'utf8')).toBe('kept\n');
    expect(dockerOk(daemon(), ['run', '--rm', '-v', `${vol}:/data:ro`, IMAGE, 'cat', '/data/f'])).toBe(
      'kept',
    );
    expect(
      docker(daemon(), ['run', '--rm', '-v', `${vol}:/data:ro`, IMAGE, 'touch', '/data/g']).code,
    ).not.toBe(0);
    expect(dockerOk(daemon(), ['volume', 'rm', vol])).toBe(vol);
    // an empty volume over an image path gets the image's files (copy-up), unless nocopy
    const filled = 'berth-cli-filled';
    expect(
      Number(
        dockerOk(daemon(), [
          'run',
          '--rm',
          '-v',
          `${filled}:/usr/bin`,
          IMAGE,
          'sh',
          '-c',
          'ls /usr/bin | wc -l',
        ]),
      ),
    ).toBeGreaterThan(10);
    expect(
      dockerOk(daemon(), [
        'run',
        '--rm',
        '-v',
        `${filled}-no:/usr/bin:nocopy`,
        IMAGE,
        'sh',
        '-c',
        'ls /usr/bin | wc -l',
      ]),
    ).toBe('0');
    dockerOk(daemon(), ['volume', 'rm', filled, `${filled}-no`]);
    expect(docker(daemon(), ['volume', 'inspect', vol]).code).not.toBe(0);
  });

  it('errors: missing image 404, name conflict 409, invalid mount 400; nothing changes in the store', () => {
    dockerOk(daemon(), ['create', '--name', 'berth-cli-taken', IMAGE, 'true']);
    const before = { dirs: containerDirs().sort(), volumes: dockerOk(daemon(), ['volume', 'ls', '-q']) };

    const missing = docker(daemon(), ['create', '--pull', 'never', 'berth-no-such-image', 'true']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No such image: berth-no-such-image:latest');

    const conflict = docker(daemon(), ['create', '--name', 'berth-cli-taken', IMAGE, 'true']);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/Conflict\. The container name "\/berth-cli-taken" is already in use/);

    const mount = docker(daemon(), [
      'run',
      '--rm',
      '-v',
      'berth-anon-should-not-exist:/v',
      '--mount',
      `type=bind,source=${dir}/missing,target=/x`,
      IMAGE,
      'true',
    ]);
    expect(mount.code).toBe(125);
    expect(mount.stderr).toContain('bind source path does not exist');

    // a program that cannot be run: docker's exit codes 127 and 126 from dockerd's messages
    const notFound = docker(daemon(), ['run', '--rm', IMAGE, 'berth-no-such-program']);
    expect(notFound.code).toBe(127);
    expect(notFound.stderr).toContain('executable file not found in $PATH');
    expect(docker(daemon(), ['run', '--rm', IMAGE, '/etc/passwd']).code).toBe(126);

    expect(containerDirs().sort()).toEqual(before.dirs);
    expect(dockerOk(daemon(), ['volume', 'ls', '-q'])).toBe(before.volumes);
    dockerOk(daemon(), ['rm', 'berth-cli-taken']);
  });

  it('docker run -i passes stdin; logs -f follows until the container exits', () => {
    expect(
      docker(daemon(), ['run', '--rm', '-i', IMAGE, 'sh', '-c', 'cat; echo done'], 'from-stdin\n').stdout,
    ).toBe('from-stdin\ndone\n');
    const name = 'berth-cli-follow';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      IMAGE,
      'sh',
      '-c',
      'for i in 1 2 3; do echo line$i; sleep 0.2; done',
    ]);
    expect(dockerOk(daemon(), ['logs', '-f', name])).toBe('line1\nline2\nline3');
    expect(dockerOk(daemon(), ['logs', '--tail', '1', name])).toBe('line3');
    dockerOk(daemon(), ['rm', name]);
  });

  it('docker diff, cp (both ways, running and stopped), export and commit', () => {
    const name = 'berth-cli-files';
    dockerOk(daemon(), [
      'run',
      '--name',
      name,
      IMAGE,
      'sh',
      '-c',
      'mkdir /data && echo file-a > /data/a && rm /bin/vi',
    ]);
    expect(dockerOk(daemon(), ['diff', name]).split('\n')).toEqual([
      'C /bin',
      'D /bin/vi',
      'A /data',
      'A /data/a',
    ]);
    const out = join(dir, 'cp-out');
    dockerOk(daemon(), ['cp', `${name}:/data`, out]);
    expect(readFileSync(join(out, 'a'), 'utf8')).toBe('file-a\n');
    const inFile = join(dir, 'in.txt');
    writeFileSync(inFile, 'in-file\n');
    dockerOk(daemon(), ['cp', inFile, `${name}:/data/`]);
    const exported = join(dir, 'export.tar');
    dockerOk(daemon(), ['export', '-o', exported, name]);
    const listed = execFileSync('tar', ['-tf', exported], { encoding: 'utf8' }).split('\n');
    expect(listed).toEqual(expect.arrayContaining(['./data/a', './data/in.txt', './bin/busybox']));
    dockerOk(daemon(), ['commit', name, 'berth-committed:test']);
    expect(
      dockerOk(daemon(), ['run', '--rm', 'berth-committed:test', 'cat', '/data/a', '/data/in.txt']),
    ).toBe('file-a\nin-file');
    dockerOk(daemon(), ['rm', name]);
    const running = 'berth-cli-files-running';
    dockerOk(daemon(), ['run', '-d', '--name', running, IMAGE, 'sleep', '30']);
    dockerOk(daemon(), ['cp', inFile, `${running}:/tmp/`]);
    expect(dockerOk(daemon(), ['exec', running, 'cat', '/tmp/in.txt'])).toBe('in-file');
    dockerOk(daemon(), ['rm', '-f', running]);
    dockerOk(daemon(), ['rmi', 'berth-committed:test']);
  });

  it('docker build (classic builder stream): FROM, RUN, CMD; the image runs', () => {
    const ctx = join(dir, 'build-ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nRUN echo built > /built\nCMD ["cat", "/built"]\n`);
    const r = docker(daemon(), ['build', '-t', 'berth-built:test', ctx]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(dockerOk(daemon(), ['run', '--rm', 'berth-built:test'])).toBe('built');
    dockerOk(daemon(), ['rmi', 'berth-built:test']);
  });

  it('a container over its memory limit is OOM-killed: exit 137, State.OOMKilled, an oom event', () => {
    const name = 'berth-cli-oom';
    const r = docker(daemon(), [
      'run',
      '--name',
      name,
      '-m',
      '16m',
      '--memory-swap',
      '16m',
      IMAGE,
      'sh',
      '-c',
      'x=$(head -c 64000000 /dev/zero | tr "\\0" a); echo survived',
    ]);
    expect(r.code).toBe(137);
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.OOMKilled}} {{.State.ExitCode}}', name])).toBe(
      'true 137',
    );
    const since = '0';
    const events = dockerOk(daemon(), [
      'events',
      '--since',
      since,
      '--until',
      String(Math.ceil(Date.now() / 1000) + 1),
      '--filter',
      `container=${name}`,
      '--format',
      '{{.Action}}',
    ]);
    expect(events.split('\n')).toEqual(expect.arrayContaining(['create', 'start', 'oom', 'die']));
    dockerOk(daemon(), ['rm', name]);
  });

  it('HEALTHCHECK: starting, then healthy once the probe passes (inspect, ps, health_status event)', async () => {
    const name = 'berth-cli-health';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      '--health-cmd',
      'test -f /tmp/ok',
      '--health-interval',
      '200ms',
      '--health-retries',
      '2',
      IMAGE,
      'sleep',
      '30',
    ]);
    // The probe can pass only once the test makes it pass, so the status before that is known.
    // (A `sleep 1` in the container before the touch raced with the first inspect on a loaded machine.)
    expect(['starting', 'unhealthy']).toContain(
      dockerOk(daemon(), ['inspect', '-f', '{{.State.Health.Status}}', name]),
    );
    dockerOk(daemon(), ['exec', name, 'touch', '/tmp/ok']);
    let status = '';
    for (const until = Date.now() + 25_000; status !== 'healthy' && Date.now() < until; ) {
      status = dockerOk(daemon(), ['inspect', '-f', '{{.State.Health.Status}}', name]);
      if (status !== 'healthy') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('healthy');
    expect(dockerOk(daemon(), ['ps', '--filter', `name=${name}`, '--format', '{{.Status}}'])).toMatch(
      /\(healthy\)$/,
    );
    expect(dockerOk(daemon(), ['ps', '--filter', 'health=healthy', '--format', '{{.Names}}'])).toBe(name);
    expect(dockerOk(daemon(), ['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}}'])).toBe('');
    dockerOk(daemon(), ['rm', '-f', name]);
  });

  it('docker tag, push to a registry, rmi, pull and run the pulled image', () => {
    const ref = `${registry!.host}/berth/busybox:pushed`;
    dockerOk(daemon(), ['tag', IMAGE, ref]);
    const push = docker(daemon(), ['push', ref]);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    dockerOk(daemon(), ['rmi', ref]);
    expect(docker(daemon(), ['image', 'inspect', ref]).code).not.toBe(0);
    const pull = docker(daemon(), ['pull', ref]);
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain(ref);
    expect(dockerOk(daemon(), ['run', '--rm', ref, 'echo', 'pulled'])).toBe('pulled');
    dockerOk(daemon(), ['rmi', ref]);
  });

  it("Docker's security defaults reach the container: capabilities, seccomp, masked paths; --privileged, --cap-add, --read-only, seccomp=unconfined", () => {
    const probe = 'grep -E "^(CapBnd|Seccomp):" /proc/self/status | tr -s "\t " " "';
    expect(dockerOk(daemon(), ['run', '--rm', IMAGE, 'sh', '-c', probe])).toBe(
      'CapBnd: 00000000a80425fb\nSeccomp: 2',
    );
    // privileged: every capability the daemon itself holds (this host withholds CAP_SYS_RESOURCE)
    const hostBnd = /^CapBnd:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    expect(dockerOk(daemon(), ['run', '--rm', '--privileged', IMAGE, 'sh', '-c', probe])).toBe(
      `CapBnd: ${hostBnd}\nSeccomp: 0`,
    );
    expect(
      dockerOk(daemon(), ['run', '--rm', '--security-opt', 'seccomp=unconfined', IMAGE, 'sh', '-c', probe]),
    ).toBe('CapBnd: 00000000a80425fb\nSeccomp: 0');
    // the default profile refuses mount/unshare without CAP_SYS_ADMIN; with it they work
    expect(docker(daemon(), ['run', '--rm', IMAGE, 'unshare', '-m', 'true']).code).not.toBe(0);
    expect(
      docker(daemon(), ['run', '--rm', '--cap-add', 'SYS_ADMIN', IMAGE, 'unshare', '-m', 'true']).code,
    ).toBe(0);
    expect(docker(daemon(), ['run', '--rm', '--read-only', IMAGE, 'touch', '/x']).code).not.toBe(0);
    expect(
      dockerOk(daemon(), [
        'run',
        '--rm',
        '--read-only',
        '--tmpfs',
        '/run',
        IMAGE,
        'sh',
        '-c',
        'touch /run/x && echo ok',
      ]),
    ).toBe('ok');
    // masked: /proc/interrupts reads as empty (the host's has content)
    expect(dockerOk(daemon(), ['run', '--rm', IMAGE, 'sh', '-c', 'wc -c < /proc/interrupts'])).toBe('0');
    expect(
      docker(daemon(), ['run', '--rm', IMAGE, 'sh', '-c', 'echo 1 > /proc/sys/kernel/domainname']).code,
    ).not.toBe(0);
    expect(dockerOk(daemon(), ['run', '--rm', '--user', 'nobody', IMAGE, 'id', '-u'])).toBe('65534');
  });

  it('pause/unpause, rename, restart, stats, kill -s, wait, attach', async () => {
    const name = 'berth-cli-life';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      IMAGE,
      'sh',
      '-c',
      'trap "echo got-usr1" USR1; while true; do sleep 0.1; done',
    ]);
    dockerOk(daemon(), ['pause', name]);
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.Status}} {{.State.Paused}}', name])).toBe(
      'paused true',
    );
    dockerOk(daemon(), ['unpause', name]);
    dockerOk(daemon(), ['rename', name, `${name}-2`]);
    expect(dockerOk(daemon(), ['ps', '--filter', `name=${name}-2`, '--format', '{{.Names}}'])).toBe(
      `${name}-2`,
    );
    const stats = dockerOk(daemon(), [
      'stats',
      '--no-stream',
      '--format',
      '{{.Name}} {{.PIDs}}',
      `${name}-2`,
    ]);
    expect(stats).toMatch(new RegExp(`^${name}-2 \\d+$`));
    const pid1 = dockerOk(daemon(), ['inspect', '-f', '{{.State.Pid}}', `${name}-2`]);
    dockerOk(daemon(), ['restart', '-t', '1', `${name}-2`]);
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.Status}}', `${name}-2`])).toBe('running');
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.Pid}}', `${name}-2`])).not.toBe(pid1);
    dockerOk(daemon(), ['kill', '-s', 'USR1', `${name}-2`]);
    let logs = '';
    for (let i = 0; i < 50 && !logs.includes('got-usr1'); i++)
      logs = dockerOk(daemon(), ['logs', `${name}-2`]);
    expect(logs).toContain('got-usr1');
    // attach without stdin: the stream ends when the container does. The container ticks until told
    // to finish, and is told only once the attach has seen a tick: a fixed `sleep` before the echo
    // raced with the attach connecting on a loaded machine (attach does not replay earlier output).
    const attachName = `${name}-attach`;
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      attachName,
      IMAGE,
      'sh',
      '-c',
      'while [ ! -e /tmp/go ]; do echo tick; sleep 0.1; done; echo attached-out',
    ]);
    const attach = spawn(DOCKER, ['attach', '--no-stdin', attachName], {
      env: dockerEnv(daemon()),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let attachedOut = '';
    const attachedExit = new Promise<number | null>((r) => attach.once('close', (code) => r(code)));
    try {
      const ticked = new Promise<void>((resolve, reject) => {
        attach.stdout.setEncoding('utf8').on('data', (c: string) => {
          attachedOut += c;
          if (attachedOut.includes('tick\n')) resolve();
        });
        attach.once('close', () => reject(new Error(`docker attach ended before a tick: ${attachedOut}`)));
      });
      await ticked;
      dockerOk(daemon(), ['exec', attachName, 'touch', '/tmp/go']);
      expect(await attachedExit).toBe(0);
    } finally {
      attach.kill('SIGKILL');
    }
    expect(attachedOut).toMatch(/^(tick\n)+attached-out\n$/);
    expect(dockerOk(daemon(), ['wait', attachName])).toBe('0');
    dockerOk(daemon(), ['kill', `${name}-2`]);
    expect(dockerOk(daemon(), ['wait', `${name}-2`])).toBe('137');
    dockerOk(daemon(), ['rm', `${name}-2`, attachName]);
  });

  it('restart policy on-failure:2 restarts twice, then the container stays exited', async () => {
    const name = 'berth-cli-restart';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      '--restart',
      'on-failure:2',
      IMAGE,
      'sh',
      '-c',
      'exit 3',
    ]);
    let state = '';
    for (let i = 0; i < 100; i++) {
      state = dockerOk(daemon(), [
        'inspect',
        '-f',
        '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}',
        name,
      ]);
      if (state === 'exited 2 3') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('exited 2 3');
    dockerOk(daemon(), ['rm', name]);
  });

  it('graceful shutdown leaves a container running; the next berthd reattaches and stops it', async () => {
    const name = 'berth-cli-survivor';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      IMAGE,
      'sh',
      '-c',
      'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done',
    ]);
    const pid = Number(dockerOk(daemon(), ['inspect', '-f', '{{.State.Pid}}', name]));
    expect(await stopDaemon(daemon())).toBe(0);
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    d = await startDaemon(dir, cgroupParent);
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', name])).toBe(
      `running ${pid}`,
    );
    dockerOk(daemon(), ['stop', '-t', '5', name]);
    // the shim kept its stdio: what it wrote after the restart is in its log, and its exit code is real
    expect(dockerOk(daemon(), ['logs', name])).toBe('bye');
    expect(dockerOk(daemon(), ['inspect', '-f', '{{.State.ExitCode}}', name])).toBe('0');
    // it was re-parented when the first daemon exited: gone, or a zombie its new parent reaps
    expect(gone(pid)).toBe(true);
    dockerOk(daemon(), ['rm', name]);
    expect(mountsUnder(daemon().execRoot)).toEqual([]);
  });
});
