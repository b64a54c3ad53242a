// NetworkManager on the real kernel: network records (Docker's inspect shape, persistence,
// conflicts, pools avoiding host routes, prune), attach/detach cleanup, port conflicts, and
// reopening after a crash (half-made attachments undone, lost netns swept, nothing lost).
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPersistentNamespace, removePersistentNamespace } from '@berth/namespaces';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteLink, linkExists } from './links.js';
import { NetworkManager, type NetworkManagerOptions } from './manager.js';
import {
  ipamAllocations,
  iptablesMentions,
  leaks,
  nftTable,
  rand,
  tempDir,
  testSubnet,
} from './test-support.js';

let root: string;
let opts: NetworkManagerOptions;
let net: NetworkManager;
let bridges: string[];
let containerIds: string[];

beforeEach(async () => {
  root = tempDir('mgr');
  bridges = [];
  containerIds = [];
  opts = { root, netnsDir: join(root, 'netns'), defaultBridge: false };
  net = await NetworkManager.open(opts);
});

afterEach(async () => {
  try {
    net = await NetworkManager.open(opts);
    for (const id of containerIds) await net.cleanupContainer(id);
    for (const n of net.list()) if (!n.isDefault) await net.remove(n.id);
    for (const b of bridges) if (linkExists(b)) throw new Error(`bridge ${b} left behind`);
    expect(
      leaks({
        links: bridges,
        netnsDir: join(root, 'netns'),
        ipamDir: join(root, 'ipam'),
        cniCacheDir: join(root, 'cni'),
        ruleNeedles: [...containerIds, net.forwardChain],
        nftTable: net.nftTable,
      }),
    ).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function bridgeName(): string {
  const b = `berth${rand(8)}`;
  bridges.push(b);
  return b;
}

async function testNetwork(extra: { internal?: boolean; labels?: Record<string, string> } = {}) {
  const { subnet } = testSubnet(208);
  return net.create({
    name: `berth-test-${rand()}`,
    subnet,
    options: { 'com.docker.network.bridge.name': bridgeName() },
    ...extra,
  });
}

async function attached(
  network: string,
  ports?: { containerPort: number; hostPort?: number; protocol?: 'tcp' | 'udp' }[],
) {
  const containerId = `berth-mgr-${rand(10)}`;
  containerIds.push(containerId);
  const netnsPath = await net.createNetns(containerId);
  const r = await net.attach({
    containerId,
    netnsPath,
    network,
    name: containerId,
    ...(ports ? { ports } : {}),
  });
  return { containerId, netnsPath, r };
}

describe('NetworkManager networks', () => {
  it('the default bridge network exists after open (berth0 unless told) and cannot be removed', async () => {
    const bridge = bridgeName();
    const m = await NetworkManager.open({
      root: join(root, 'd'),
      netnsDir: join(root, 'netns'),
      defaultBridge: { bridge, subnet: testSubnet(208).subnet },
    });
    const def = m.inspect('bridge');
    expect(def).toMatchObject({ Name: 'bridge', Driver: 'bridge', Scope: 'local', Internal: false });
    expect(def.Options['com.docker.network.bridge.default_bridge']).toBe('true');
    expect(def.Options['com.docker.network.bridge.name']).toBe(bridge);
    await expect(m.remove('bridge')).rejects.toMatchObject({ code: 'EFORBIDDEN' });
    // host and none are listed like Docker's, take no endpoints and cannot be removed
    expect(
      m
        .list({ type: 'builtin' })
        .map((n) => `${n.name}/${n.driver}`)
        .sort(),
    ).toEqual(['bridge/bridge', 'host/host', 'none/null']);
    expect(m.inspect('none').IPAM.Config).toEqual([]);
    await expect(m.remove('host')).rejects.toMatchObject({ code: 'EFORBIDDEN' });
    await expect(
      m.attach({ containerId: 'berth-x', netnsPath: '/proc/self/ns/net', network: 'host' }),
    ).rejects.toMatchObject({
      code: 'EINVALID',
    });
    // reopening keeps the same default network
    const reopened = await NetworkManager.open({ root: join(root, 'd'), netnsDir: join(root, 'netns') });
    expect(reopened.get('bridge').id).toBe(def.Id);
    expect(nftTable(reopened.nftTable)).toContain(`"${bridge}"`);
    await reopened.purge();
    expect(reopened.list()).toEqual([]);
    expect(nftTable(reopened.nftTable)).toBeUndefined();
  });

  it("create/list/inspect/remove with Docker's inspect shape; records survive a reopen", async () => {
    const { subnet, prefix } = testSubnet(208);
    const n = await net.create({
      name: 'berth-test-shape',
      subnet,
      gateway: `${prefix}254`,
      labels: { team: 'net' },
      options: { 'com.docker.network.bridge.name': bridgeName() },
    });
    const i = net.inspect('berth-test-shape');
    expect(i).toMatchObject({
      Name: 'berth-test-shape',
      Id: n.id,
      Driver: 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: `${prefix}254` }] },
      Internal: false,
      Containers: {},
      Labels: { team: 'net' },
    });
    expect(net.inspect(n.id.slice(0, 6)).Id).toBe(n.id);
    // berth's nft table isolates the network's bridge from other networks
    expect(nftTable(net.nftTable)).toContain(`"${n.bridge}"`);
    expect(nftTable(net.nftTable)).toContain(`ip saddr ${subnet} oifname != "${n.bridge}" masquerade`);
    // and berth's FORWARD chain lets its traffic through where FORWARD's policy is DROP
    expect(iptablesMentions([net.forwardChain]).join('\n')).toContain(
      `-A ${net.forwardChain} -i ${n.bridge} -j ACCEPT`,
    );
    const again = await NetworkManager.open(opts);
    expect(again.list({ label: 'team=net' }).map((x) => x.name)).toEqual(['berth-test-shape']);
    await again.remove('berth-test-shape');
    expect(() => again.get('berth-test-shape')).toThrow(
      expect.objectContaining({ code: 'ENOTFOUND', statusCode: 404 }),
    );
  });

  it('refuses duplicate names, overlapping subnets, gateways outside the subnet and unknown drivers', async () => {
    const n = await testNetwork();
    await expect(net.create({ name: n.name })).rejects.toMatchObject({ code: 'ECONFLICT' });
    await expect(net.create({ name: 'berth-test-overlap', subnet: n.subnet })).rejects.toMatchObject({
      code: 'ECONFLICT',
    });
    await expect(
      net.create({ name: 'berth-test-gw', subnet: '10.207.201.0/24', gateway: '10.207.202.1' }),
    ).rejects.toMatchObject({ code: 'EINVALID' });
    await expect(net.create({ name: 'berth-test-drv', driver: 'overlay' as 'bridge' })).rejects.toMatchObject(
      {
        code: 'EINVALID',
      },
    );
    await expect(net.create({ name: 'bad name!' })).rejects.toMatchObject({ code: 'EINVALID' });
  });

  it('a network without --subnet gets the first pool subnet that no host route or network overlaps', async () => {
    const routes = join(root, 'route');
    // a route to 10.207.0.0/24 (little-endian hex 00CF0A00... → 0x0ACF0000 reversed)
    writeFileSync(
      routes,
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\nx\t0000CF0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n',
    );
    const m = await NetworkManager.open({
      ...opts,
      root: join(root, 'pool'),
      addressPools: [{ base: '10.207.0.0/22', size: 24 }],
      routesFile: routes,
    });
    const a = await m.create({ name: 'berth-test-pool-a' });
    const b = await m.create({ name: 'berth-test-pool-b' });
    expect([a.subnet, a.gateway, b.subnet]).toEqual(['10.207.1.0/24', '10.207.1.1', '10.207.2.0/24']);
    await m.remove(a.name);
    await m.remove(b.name);
  });

  it('prune removes unused user networks (by label) and keeps networks with endpoints', async () => {
    const used = await testNetwork({ labels: { p: '1' } });
    const unused = await testNetwork({ labels: { p: '1' } });
    const other = await testNetwork({ labels: { p: '2' } });
    await attached(used.name);
    expect(await net.prune({ label: 'p=1' })).toEqual([unused.name]);
    expect(
      net
        .list()
        .map((n) => n.name)
        .sort(),
    ).toEqual([used.name, other.name].sort());
    await expect(net.remove(used.name)).rejects.toMatchObject({ code: 'ECONFLICT' });
  });
});

describe('NetworkManager endpoints', () => {
  it('attach gives an address, MAC and gateway; detach removes veth, IPAM allocation, NAT rules and cache', async () => {
    const n = await testNetwork();
    const { containerId, r } = await attached(n.name, [
      { containerPort: 80, hostPort: 0 },
      { containerPort: 53, protocol: 'udp' },
    ]);
    expect(r.ipAddress.startsWith(n.subnet.replace('0/24', ''))).toBe(true);
    expect(r).toMatchObject({ prefixLen: 24, gateway: n.gateway, ifName: 'eth0' });
    expect(r.macAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(r.ports.map((p) => p.protocol)).toEqual(['tcp', 'udp']);
    expect(r.ports.every((p) => p.hostPort > 0)).toBe(true);
    expect(linkExists(n.bridge)).toBe(true);
    const veth = net.cni
      .listCached()[0]
      ?.result?.interfaces?.find((i) => !i.sandbox && i.name.startsWith('veth'))?.name;
    expect(veth && linkExists(veth)).toBe(true);
    expect(ipamAllocations(join(root, 'ipam'))).toHaveLength(1);
    expect(iptablesMentions([containerId]).length).toBeGreaterThan(0);
    await net.check(containerId, n.name);
    // CHECK notices an attachment that is no longer as ADD left it, naming the plugin
    await deleteLink(veth!);
    await expect(net.check(containerId, n.name)).rejects.toMatchObject({ code: 'ECNI', plugin: 'bridge' });
    await net.detach(containerId, n.name);
    expect(linkExists(veth!)).toBe(false);
    expect(ipamAllocations(join(root, 'ipam'))).toEqual([]);
    expect(iptablesMentions([containerId])).toEqual([]);
    expect(net.inspect(n.name).Containers).toEqual({});
    await expect(net.detach(containerId, n.name)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('refuses a host port already published, ports on an internal network, and a second attach to one network', async () => {
    const n = await testNetwork();
    const first = await attached(n.name, [{ containerPort: 80 }]);
    const taken = first.r.ports[0]!.hostPort;
    const id = `berth-mgr-${rand(10)}`;
    containerIds.push(id);
    const ns = await net.createNetns(id);
    await expect(
      net.attach({
        containerId: id,
        netnsPath: ns,
        network: n.name,
        ports: [{ containerPort: 81, hostPort: taken }],
      }),
    ).rejects.toMatchObject({
      code: 'ECONFLICT',
      message: expect.stringContaining('port is already allocated'),
    });
    const internal = await testNetwork({ internal: true });
    await expect(
      net.attach({ containerId: id, netnsPath: ns, network: internal.name, ports: [{ containerPort: 80 }] }),
    ).rejects.toMatchObject({ code: 'EINVALID' });
    await expect(
      net.attach({ containerId: first.containerId, netnsPath: first.netnsPath, network: n.name }),
    ).rejects.toMatchObject({ code: 'ECONFLICT' });
    // a fixed address (--ip) on a second network; the container's second interface is eth1
    const fixed = `${internal.subnet.replace('0/24', '')}77`;
    expect(
      await net.attach({
        containerId: first.containerId,
        netnsPath: first.netnsPath,
        network: internal.name,
        ipAddress: fixed,
      }),
    ).toMatchObject({ ifName: 'eth1', ipAddress: fixed });
  });

  it('attaches and detaches of different containers run concurrently: distinct addresses and host ports, nothing left', async () => {
    const n = await testNetwork();
    const ids = Array.from({ length: 4 }, () => `berth-mgr-${rand(10)}`);
    containerIds.push(...ids);
    const results = await Promise.all(
      ids.map(async (containerId) => {
        const netnsPath = await net.createNetns(containerId);
        return net.attach({ containerId, netnsPath, network: n.name, ports: [{ containerPort: 80 }] });
      }),
    );
    expect(new Set(results.map((r) => r.ipAddress)).size).toBe(4);
    expect(new Set(results.map((r) => r.ports[0]!.hostPort)).size).toBe(4);
    expect(Object.keys(net.inspect(n.name).Containers).sort()).toEqual([...ids].sort());
    // a network-wide operation waits for container work queued before it
    const removing = net.remove(n.name).catch((e: { code: string }) => e.code);
    await Promise.all(ids.map((id) => net.cleanupContainer(id)));
    expect(await removing).toBe('ECONFLICT');
    expect(ipamAllocations(join(root, 'ipam'))).toEqual([]);
  });

  it('cleanupContainer of a container it knows nothing of (a none container) writes no state', async () => {
    const statePath = join(root, 'state.json');
    const before = statSync(statePath);
    await net.cleanupContainer(`berth-mgr-${rand(10)}`);
    const after = statSync(statePath);
    // writes are temp + rename: an untouched file keeps its inode and mtime
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('reopening after a crash keeps live endpoints and undoes half-made ones (attaching, unrecorded ADD, lost netns, stray netns)', async () => {
    const n = await testNetwork();
    const live = await attached(n.name, [{ containerPort: 80 }]);
    const half = await attached(n.name);
    const lost = await attached(n.name);
    const unrecorded = await attached(n.name, [{ containerPort: 81 }]);
    // crash mid-ADD of `half`: its record still says attaching
    const statePath = join(root, 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    for (const ep of state.endpoints) if (ep.containerId === half.containerId) ep.state = 'attaching';
    // crash after ADD, before the state file said so: only the CNI cache knows about it
    state.endpoints = state.endpoints.filter(
      (ep: { containerId: string }) => ep.containerId !== unrecorded.containerId,
    );
    writeFileSync(statePath, JSON.stringify(state));
    // `lost`'s netns went away while we were down (a reboot empties /run)
    removePersistentNamespace(lost.netnsPath);
    // a netns pinned just before a crash, never recorded
    const stray = join(root, 'netns', 'berth-stray');
    await createPersistentNamespace('network', stray);
    const vethsBefore = net.cni
      .listCached()
      .map((e) => e.result?.interfaces?.find((i) => !i.sandbox && i.name.startsWith('veth'))?.name);

    const again = await NetworkManager.open(opts);
    expect(Object.keys(again.inspect(n.name).Containers)).toEqual([live.containerId]);
    expect(again.endpoints(live.containerId)[0]).toMatchObject({
      ipAddress: live.r.ipAddress,
      ports: live.r.ports,
    });
    expect(ipamAllocations(join(root, 'ipam'))).toEqual([`${n.cniName}/${live.r.ipAddress}`]);
    expect(iptablesMentions([half.containerId, lost.containerId, unrecorded.containerId])).toEqual([]);
    expect(vethsBefore.filter((v) => v && linkExists(v))).toHaveLength(1);
    expect(linkExists(n.bridge)).toBe(true);
    expect(() => readFileSync(stray)).toThrow();
    net = again;
  });
});
