#!/usr/bin/env node
// Network benchmark (issue 11), three parts:
//  1. setup + teardown cost of a container's network: "none" (pinned netns with lo up, then
//     unpinned) against "bridge" (the same plus CNI attach/detach on a user bridge network) and
//     "bridge + -p" (plus one published port: portmap's NAT rules);
//  2. 8 containers attached one after another vs all at once (concurrent CNI runs);
//  3. host -> container TCP throughput: to the container's address over the veth, and to
//     127.0.0.1:<published port> (DNAT + masquerade through portmap's rules).
// The receiver is busybox `nc -l` inside the netns (started with nsenter: measurement only).
// Uses a test-only subnet and bridge name; removes everything it made. Needs root.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { measure, median, printRatios } from './stats.mjs';

// @berth/network is not (yet) a dependency of @berth/bench: load its build from the workspace.
const { NetworkManager } = await import(
  new URL('../../../packages/network/dist/index.js', import.meta.url).href
);

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const MIB = Number(process.env.BENCH_MIB ?? 256);

if (process.getuid?.() !== 0) {
  console.log('network: skipped (needs root)');
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'berth-bench-net-'));
const net = await NetworkManager.open({ root, netnsDir: join(root, 'netns'), defaultBridge: false });
const network = await net.create({
  name: `berth-bench-${process.pid}`,
  subnet: '10.209.254.0/24',
  options: { 'com.docker.network.bridge.name': `berthbench${process.pid % 10000}` },
});
let seq = 0;

async function none() {
  const id = `berth-bench-${seq++}`;
  await net.createNetns(id);
  await net.removeNetns(id);
}

async function bridge(ports) {
  const id = `berth-bench-${seq++}`;
  const netnsPath = await net.createNetns(id);
  await net.attach({ containerId: id, netnsPath, network: network.name, ...(ports ? { ports } : {}) });
  await net.cleanupContainer(id);
}

/** Sends MIB MiB to host:port (a busybox nc -l in the netns) and returns MB/s. */
async function throughput(netnsPath, host, port) {
  const nc = spawn('nsenter', [`--net=${netnsPath}`, 'busybox', 'nc', '-l', '-p', '5001'], {
    // stdin stays open: busybox nc stops when its stdin ends
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const closed = new Promise((resolve) => nc.on('exit', resolve));
  const chunk = Buffer.alloc(1 << 20, 0x61);
  let sock;
  for (let i = 0; i < 100 && !sock; i++) {
    sock = await new Promise((resolve) => {
      const s = connect({ host, port }, () => resolve(s));
      s.on('error', () => setTimeout(() => resolve(undefined), 20));
    });
  }
  if (!sock) throw new Error(`cannot connect to ${host}:${port}`);
  const failed = new Promise((_, reject) => sock.on('error', reject));
  const start = performance.now();
  for (let i = 0; i < MIB; i++) {
    if (!sock.write(chunk)) await Promise.race([new Promise((r) => sock.once('drain', r)), failed]);
  }
  sock.end();
  await Promise.race([new Promise((r) => sock.on('close', r)), failed]);
  nc.stdin.end();
  await closed;
  const ms = performance.now() - start;
  return (MIB * 1.048576) / (ms / 1000);
}

try {
  const noneTimes = await measure(none, { runs: RUNS, warmup: 2 });
  const bridgeTimes = await measure(() => bridge(), { runs: RUNS, warmup: 2 });
  const portTimes = await measure(() => bridge([{ containerPort: 80 }]), { runs: RUNS, warmup: 2 });
  printRatios(
    `container network setup + teardown (${RUNS} runs, median)`,
    [
      { name: 'none (netns + lo)', times: noneTimes, note: 'the floor' },
      { name: 'bridge (CNI attach/detach)', times: bridgeTimes },
      { name: 'bridge + -p 80', times: portTimes },
    ],
    'none (netns + lo)',
  );

  // 8 containers started at once: attaches of different containers run concurrently
  const N = 8;
  const batch = (parallel) => async () => {
    const ids = Array.from({ length: N }, () => `berth-bench-${seq++}`);
    const one = async (id) => {
      const netnsPath = await net.createNetns(id);
      await net.attach({ containerId: id, netnsPath, network: network.name });
    };
    if (parallel) await Promise.all(ids.map(one));
    else for (const id of ids) await one(id);
    await Promise.all(ids.map((id) => net.cleanupContainer(id)));
  };
  printRatios(
    `${N} containers: netns + attach each, then cleanup (${Math.max(3, RUNS / 4)} runs, median)`,
    [
      {
        name: 'one after another',
        times: await measure(batch(false), { runs: Math.max(3, RUNS / 4), warmup: 1 }),
      },
      { name: 'all at once', times: await measure(batch(true), { runs: Math.max(3, RUNS / 4), warmup: 1 }) },
    ],
    'one after another',
  );

  const id = 'berth-bench-tput';
  const netnsPath = await net.createNetns(id);
  try {
    const ep = await net.attach({
      containerId: id,
      netnsPath,
      network: network.name,
      ports: [{ containerPort: 5001 }],
    });
    const direct = [];
    const published = [];
    for (let i = 0; i < 3; i++) {
      direct.push(await throughput(netnsPath, ep.ipAddress, 5001));
      published.push(await throughput(netnsPath, '127.0.0.1', ep.ports[0].hostPort));
    }
    const d = median(direct);
    const p = median(published);
    console.log(`host -> container TCP, ${MIB} MiB per run, median of 3`);
    console.log(`  ${'direct to veth address'.padEnd(28)} ${d.toFixed(0).padStart(9)} MB/s`);
    console.log(
      `  ${'127.0.0.1:published port'.padEnd(28)} ${p.toFixed(0).padStart(9)} MB/s ${(p / d).toFixed(2)}x direct`,
    );
  } finally {
    await net.cleanupContainer(id);
  }
} finally {
  await net.remove(network.name);
  rmSync(root, { recursive: true, force: true });
}
