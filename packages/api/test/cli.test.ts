import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { docker, type Harness, startFake } from './helpers.js';

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
