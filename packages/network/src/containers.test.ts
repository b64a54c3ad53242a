// Real containers (busybox, @berth/runtime in-process) in netns made by the manager: name
// resolution and TCP between containers of a user network, a published port answering on
// 127.0.0.1, an internal network that reaches nothing outside its subnet. Each test checks that
// every link, netns, IPAM allocation, CNI cache entry and iptables rule it made is gone.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetworkManager } from './manager.js';
import { Boxes, leaks, rand, tempDir, testSubnet } from './test-support.js';

let root: string;
let net: NetworkManager;
let boxes: Boxes;
let bridges: string[];
let veths: string[];
let containerIds: string[];
let subnets: string[];

beforeEach(async () => {
  root = tempDir('ct');
  bridges = [];
  veths = [];
  containerIds = [];
  subnets = [];
  net = await NetworkManager.open({ root, netnsDir: join(root, 'netns'), defaultBridge: false });
  boxes = new Boxes();
});

afterEach(async () => {
  try {
    await boxes.cleanup();
    for (const id of containerIds) await net.cleanupContainer(id);
    for (const n of net.list()) await net.remove(n.id);
    expect(
      leaks({
        links: [...bridges, ...veths],
        netnsDir: join(root, 'netns'),
        ipamDir: join(root, 'ipam'),
        cniCacheDir: join(root, 'cni'),
        ruleNeedles: [...containerIds, ...subnets, net.forwardChain],
        nftTable: net.nftTable,
      }),
    ).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

async function userNetwork(opts: { internal?: boolean } = {}) {
  const { subnet, prefix } = testSubnet();
  const bridge = `berth${rand(8)}`;
  bridges.push(bridge);
  subnets.push(subnet.replace('.0/24', '.'));
  const n = await net.create({
    name: `berth-test-${rand()}`,
    subnet,
    internal: opts.internal ?? false,
    options: { 'com.docker.network.bridge.name': bridge },
  });
  return { n, prefix };
}

/** A container id, its pinned netns and rendered files, attached to `network`. */
async function endpoint(
  network: string,
  name: string,
  ports?: Parameters<NetworkManager['attach']>[0]['ports'],
) {
  const containerId = `berth-ct-${rand(10)}`;
  containerIds.push(containerId);
  const netnsPath = await net.createNetns(containerId);
  const r = await net.attach({
    containerId,
    netnsPath,
    network,
    name,
    aliases: [`${name}-alias`],
    ...(ports ? { ports } : {}),
  });
  const ep = net.endpoints(containerId)[0];
  expect(ep?.ipAddress).toBe(r.ipAddress);
  const files = await net.containerFiles({
    containerId,
    dir: join(root, 'files', containerId),
    hostname: name,
  });
  return { containerId, netnsPath, files, r };
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('containers on berth networks (real kernel, busybox)', () => {
  it('two containers on a user network talk over TCP by name (hosts files kept current)', async () => {
    const { n } = await userNetwork();
    const a = await endpoint(n.name, 'alpha');
    const server = await boxes.start({
      args: ['sh', '-c', 'echo hello-from-alpha | nc -l -p 7000'],
      netnsPath: a.netnsPath,
      files: a.files,
    });
    const b = await endpoint(n.name, 'beta');
    // alpha's hosts file was rewritten in place when beta joined
    const client = await boxes.start({
      args: [
        'sh',
        '-c',
        'grep alpha /etc/hosts; for i in $(seq 200); do nc -w 2 alpha 7000 && exit 0; sleep 0.1; done; exit 1',
      ],
      netnsPath: b.netnsPath,
      files: b.files,
    });
    expect(await client.wait()).toBe(0);
    expect(client.output()).toContain(`${a.r.ipAddress}\talpha alpha-alias`);
    expect(client.output()).toContain('hello-from-alpha');
    expect(await server.wait()).toBe(0);
    const checkAlpha = await boxes.start({
      args: ['grep', 'beta', '/etc/hosts'],
      netnsPath: a.netnsPath,
      files: a.files,
    });
    expect(await checkAlpha.wait()).toBe(0);
    expect(checkAlpha.output()).toContain(`${b.r.ipAddress}\tbeta beta-alias`);
    veths.push(...(await hostVeths()));
  });

  it('a published port (ephemeral host port) answers on 127.0.0.1 with busybox httpd inside', async () => {
    const { n } = await userNetwork();
    const c = await endpoint(n.name, 'web', [{ containerPort: 80, protocol: 'tcp' }]);
    const port = c.r.ports[0]?.hostPort ?? 0;
    expect(port).toBeGreaterThan(0);
    expect(net.inspect(n.id).Containers[c.containerId]?.IPv4Address).toBe(`${c.r.ipAddress}/24`);
    await boxes.start({
      args: ['httpd', '-f', '-p', '80', '-h', '/www'],
      netnsPath: c.netnsPath,
      files: c.files,
      setup: (rootfs) => {
        mkdirSync(join(rootfs, 'www'));
        writeFileSync(join(rootfs, 'www/index.html'), 'hello from berth httpd\n');
      },
    });
    let body = '';
    // until httpd listens: bounded by time, not a count (a loaded CI machine can take seconds)
    for (const until = Date.now() + 25_000; !body && Date.now() < until; ) {
      body = await httpGet(port).catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return '';
      });
    }
    expect(body).toBe('hello from berth httpd\n');
    veths.push(...(await hostVeths()));
    await net.detach(c.containerId, n.name);
    // the DNAT rule went with the endpoint: nothing answers any more
    await expect(httpGet(port)).rejects.toThrow();
  });

  it('an --internal network has no default route and cannot reach outside its subnet', async () => {
    const outside = await userNetwork();
    const target = await endpoint(outside.n.name, 'target');
    await boxes.start({
      args: ['sh', '-c', 'nc -l -p 7001 -e true'],
      netnsPath: target.netnsPath,
      files: target.files,
    });
    const inside = await userNetwork({ internal: true });
    expect(net.inspect(inside.n.id).Internal).toBe(true);
    const c = await endpoint(inside.n.name, 'isolated');
    const probe = await boxes.start({
      args: [
        'sh',
        '-c',
        `ip route; if nc -w 2 ${target.r.ipAddress} 7001 </dev/null; then echo REACHED; else echo UNREACHABLE; fi`,
      ],
      netnsPath: c.netnsPath,
      files: c.files,
    });
    expect(await probe.wait()).toBe(0);
    expect(probe.output()).not.toContain('default');
    expect(probe.output()).toContain('UNREACHABLE');
    // the same probe from the outside network does reach the target (the check above means something)
    const control = await endpoint(outside.n.name, 'control');
    const ok = await boxes.start({
      args: [
        'sh',
        '-c',
        `for i in $(seq 200); do nc -w 2 ${target.r.ipAddress} 7001 </dev/null && exit 0; sleep 0.1; done; exit 1`,
      ],
      netnsPath: control.netnsPath,
      files: control.files,
    });
    expect(await ok.wait()).toBe(0);
    veths.push(...(await hostVeths()));
  });

  it('containers on two different user networks cannot reach each other (isolation), the same network can', async () => {
    const a = await userNetwork();
    const b = await userNetwork();
    const target = await endpoint(a.n.name, 'target');
    await boxes.start({
      args: ['sh', '-c', 'nc -ll -p 7002 -e true'],
      netnsPath: target.netnsPath,
      files: target.files,
    });
    const sameNet = await endpoint(a.n.name, 'friend');
    const otherNet = await endpoint(b.n.name, 'stranger');
    const reach = (netnsPath: string, files: typeof target.files) =>
      boxes.start({
        args: [
          'sh',
          '-c',
          `for i in $(seq 200); do nc -w 1 ${target.r.ipAddress} 7002 </dev/null && { echo REACHED; exit 0; }; sleep 0.1; done; echo UNREACHABLE`,
        ],
        netnsPath,
        files,
      });
    const friend = await reach(sameNet.netnsPath, sameNet.files);
    expect(await friend.wait()).toBe(0);
    expect(friend.output()).toContain('REACHED');
    const stranger = await boxes.start({
      args: [
        'sh',
        '-c',
        `if nc -w 2 ${target.r.ipAddress} 7002 </dev/null; then echo REACHED; else echo UNREACHABLE; fi`,
      ],
      netnsPath: otherNet.netnsPath,
      files: otherNet.files,
    });
    expect(await stranger.wait()).toBe(0);
    expect(stranger.output()).toContain('UNREACHABLE');
    veths.push(...(await hostVeths()));
  });
});

/** Host-side veths of this test's endpoints (from the CNI cache), checked for leaks later. */
async function hostVeths(): Promise<string[]> {
  return net.cni
    .listCached()
    .flatMap((e) =>
      (e.result?.interfaces ?? []).filter((i) => !i.sandbox && i.name.startsWith('veth')).map((i) => i.name),
    );
}
