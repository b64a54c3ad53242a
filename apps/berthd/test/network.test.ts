// berthd with networking: a default bridge of its own (unique interface and subnet, so it runs beside
// other daemons), published ports, a user network joined with `docker network connect`. Everything
// the network manager made is purged afterwards through its own API.
import { randomBytes } from 'node:crypto';
import { existsSync, readlinkSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { NetworkManager } from '@berth/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cgroupsLeft,
  cleanupAll,
  docker,
  dockerOk,
  makeRootfsTar,
  startDaemon,
  stopDaemon,
  type TestDaemon,
  tempDir,
  uniqueCgroupParent,
} from './harness.js';

const IMAGE = 'berth-busybox:net';
const rand = randomBytes(2);
const bridge = `bt${rand.toString('hex')}`;
const third = 100 + (rand[0]! % 100);
const bip = `172.30.${third}.1/24`;
let dir: string;
let cgroupParent: string;
let d: TestDaemon | undefined;
const daemon = (): TestDaemon => {
  if (!d) throw new Error('berthd did not start');
  return d;
};

function fetchOnce(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (c) => {
      data += c.toString();
    });
    s.on('end', () => resolve(data));
    s.on('error', reject);
    s.end('GET / HTTP/1.0\r\n\r\n');
  });
}

beforeAll(async () => {
  dir = tempDir();
  cgroupParent = uniqueCgroupParent();
  const tar = makeRootfsTar(dir);
  d = await startDaemon(dir, cgroupParent, ['--bridge', bridge, '--bip', bip]);
  dockerOk(daemon(), ['import', tar, IMAGE]);
}, 60_000);

afterAll(async () => {
  try {
    if (d && d.proc.exitCode === null) {
      const ids = docker(d, ['ps', '-aq']).stdout.split('\n').filter(Boolean);
      if (ids.length) docker(d, ['rm', '-f', ...ids]);
      await stopDaemon(d);
    }
    // the default bridge outlives the daemon (as docker0 does): purge it, its nft table and FORWARD chain
    const net = await NetworkManager.open({
      root: join(dir, 'data', 'network'),
      netnsDir: join(dir, 'exec', 'netns'),
      defaultBridge: { bridge, subnet: bip.replace(/\.1\/24$/, '.0/24'), gateway: bip.split('/')[0]! },
    });
    await net.purge();
  } finally {
    await cleanupAll(d, dir, cgroupParent);
  }
  expect(cgroupsLeft(cgroupParent)).toEqual([]);
}, 60_000);

// Each test drives real containers on bridges through several docker CLI calls and waits for servers
// inside them: the shared 30 s per test is too close for a loaded CI machine.
describe('berthd networking with the docker CLI', { timeout: 120_000 }, () => {
  it('a container on the default bridge gets an address in --bip, /etc/hosts names it', () => {
    const out = dockerOk(daemon(), [
      'run',
      '--rm',
      IMAGE,
      'sh',
      '-c',
      'ip -4 -o addr show eth0; tail -n 1 /etc/hosts',
    ]);
    expect(out).toMatch(new RegExp(`inet 172\\.30\\.${third}\\.\\d+/24`));
    expect(out.split('\n')[1]).toMatch(new RegExp(`^172\\.30\\.${third}\\.\\d+\\s+[0-9a-f]{12}$`));
  });

  it('-p publishes a port on 127.0.0.1 (ephemeral host port), shown by ps and port', async () => {
    const name = 'berth-net-web';
    dockerOk(daemon(), [
      'run',
      '-d',
      '--name',
      name,
      '-p',
      '127.0.0.1::8080',
      IMAGE,
      'sh',
      '-c',
      'printf "HTTP/1.0 200 OK\\r\\n\\r\\nhello-from-berth" > /tmp/r; while true; do nc -l -p 8080 < /tmp/r; done',
    ]);
    const mapping = dockerOk(daemon(), ['port', name, '8080']);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(mapping)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(dockerOk(daemon(), ['ps', '--filter', `name=${name}`, '--format', '{{.Ports}}'])).toBe(
      `127.0.0.1:${port}->8080/tcp`,
    );
    // until nc listens inside; bounded by time, not a count: a loaded CI machine can take seconds
    let body = '';
    for (const until = Date.now() + 25_000; !body.includes('hello-from-berth') && Date.now() < until; ) {
      body = await fetchOnce(port).catch(() => '');
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toContain('hello-from-berth');
    dockerOk(daemon(), ['rm', '-f', name]);
  });

  it('containers on one user network reach each other by name and by --network-alias (hosts files)', () => {
    const netName = `berth-dns-${rand.toString('hex')}`;
    dockerOk(daemon(), [
      'network',
      'create',
      '--subnet',
      `172.28.${third}.0/24`,
      '-o',
      `com.docker.network.bridge.name=${bridge}d`,
      netName,
    ]);
    const server = 'berth-net-server';
    try {
      dockerOk(daemon(), [
        'run',
        '-d',
        '--name',
        server,
        '--network',
        netName,
        '--network-alias',
        'db',
        IMAGE,
        'sh',
        '-c',
        'while true; do echo pong | nc -l -p 7000; done',
      ]);
      const out = dockerOk(daemon(), [
        'run',
        '--rm',
        '--network',
        netName,
        IMAGE,
        'sh',
        '-c',
        // retried for up to ~20 s: the server's nc may not listen yet when this container starts
        'for h in berth-net-server db; do for i in $(seq 100); do r=$(echo ping | nc -w 2 $h 7000) && break; sleep 0.2; done; echo "$h $r"; done',
      ]);
      expect(out.split('\n')).toEqual(['berth-net-server pong', 'db pong']);
    } finally {
      docker(daemon(), ['rm', '-f', server]);
      docker(daemon(), ['network', 'rm', netName]);
    }
  });

  it("--network none: the container's clone makes its netns (only lo, up), nothing pinned, no network state written; exec, stats, restart work; connect is refused as by Docker", () => {
    const name = 'berth-net-none';
    const statePath = join(daemon().dataRoot, 'network', 'state.json');
    const stamp = () => {
      const st = statSync(statePath);
      return [st.ino, st.mtimeMs];
    };
    const before = stamp();
    try {
      const id = dockerOk(daemon(), ['run', '-d', '--network', 'none', '--name', name, IMAGE, 'sleep', '60']);
      const links = () => dockerOk(daemon(), ['exec', name, 'ip', '-o', 'link']);
      expect(links().split('\n')).toHaveLength(1);
      expect(links()).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/);
      const pid = Number(dockerOk(daemon(), ['inspect', '-f', '{{.State.Pid}}', name]));
      expect(readlinkSync(`/proc/${pid}/ns/net`)).not.toBe(readlinkSync('/proc/self/ns/net'));
      expect(existsSync(join(daemon().execRoot, 'netns', id))).toBe(false);
      expect(dockerOk(daemon(), ['stats', '--no-stream', '--format', '{{.Name}}', name])).toBe(name);
      const refused = docker(daemon(), ['network', 'connect', 'bridge', name]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
      dockerOk(daemon(), ['restart', '-t', '0', name]);
      expect(links()).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>[^\n]*$/);
    } finally {
      docker(daemon(), ['rm', '-f', name]);
    }
    expect(stamp()).toEqual(before);
  });

  it('docker network create / connect / disconnect / rm', () => {
    const netName = `berth-net-${rand.toString('hex')}`;
    dockerOk(daemon(), [
      'network',
      'create',
      '--subnet',
      `172.29.${third}.0/24`,
      '-o',
      `com.docker.network.bridge.name=${bridge}u`,
      netName,
    ]);
    const name = 'berth-net-multi';
    dockerOk(daemon(), ['run', '-d', '--name', name, IMAGE, 'sleep', '60']);
    dockerOk(daemon(), ['network', 'connect', netName, name]);
    expect(dockerOk(daemon(), ['exec', name, 'ip', '-4', '-o', 'addr'])).toMatch(
      new RegExp(`172\\.29\\.${third}\\.\\d+/24`),
    );
    dockerOk(daemon(), ['network', 'disconnect', netName, name]);
    expect(dockerOk(daemon(), ['exec', name, 'ip', '-4', '-o', 'addr'])).not.toMatch(/172\.29\./);
    dockerOk(daemon(), ['rm', '-f', name]);
    dockerOk(daemon(), ['network', 'rm', netName]);
  });
});
