#!/usr/bin/env node
// The API part of engine.bench.mjs alone, phase by phase, for work on start latency (issue: "API
// latency of create+start+wait from an in-process client" under 10 ms): berthd on temp roots with
// no bridge, an imported busybox, then per run create, a `next-exit` wait made ready, start, the
// wait's result, remove; medians per phase. Not a *.bench.mjs: `pnpm bench` does not run it;
// `node tools/bench/src/api-start.mjs` (BENCH_RUNS=n) does. BERTHD_NODE_ARGS passes flags to the
// daemon's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"); BERTHD_MAIN runs another build of the
// daemon's main.js (A/B runs of two builds side by side). Needs root and built dists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { median } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ws = (p) => new URL(`../../../${p}`, import.meta.url).pathname;
const berthCli = ws('apps/berth/dist/main.js');
const berthdMain = process.env.BERTHD_MAIN ?? ws('apps/berthd/dist/main.js');

if (process.getuid?.() !== 0) {
  console.log('api-start: skipped (needs root)');
  process.exit(0);
}
for (const f of [berthCli, berthdMain]) {
  if (!existsSync(f)) {
    console.log(`api-start: skipped (${f} is not built: pnpm build)`);
    process.exit(0);
  }
}
const { DockerClient } = await import(new URL('../../../packages/api/dist/index.js', import.meta.url).href);

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-api-'));
const tag = Math.random().toString(36).slice(2, 8);
const sock = join(dir, 'berth.sock');
const IMAGE = 'bench-busybox:latest';
const nodeArgs = (process.env.BERTHD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const berthd = spawn(
  process.execPath,
  [
    ...nodeArgs,
    berthdMain,
    '-H',
    `unix://${sock}`,
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--cgroup-parent',
    `/berth-bench-${tag}`,
    '--bridge',
    'none',
    '--log-level',
    'error',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);

try {
  for (let i = 0; i < 300 && !existsSync(sock); i++) {
    if (berthd.exitCode !== null) throw new Error(`berthd exited (${berthd.exitCode})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  makeBusyboxRootfs(join(dir, 'rootfs'));
  spawnSync('tar', ['-C', join(dir, 'rootfs'), '-cf', join(dir, 'busybox.tar'), '.']);
  const imported = spawnSync(
    process.execPath,
    [berthCli, 'import', '--change', 'CMD ["sh"]', join(dir, 'busybox.tar'), IMAGE],
    { env: { ...process.env, BERTH_HOST: `unix://${sock}`, BERTH_NO_AUTOSTART: '1' } },
  );
  if (imported.status !== 0) throw new Error(`berth import: ${String(imported.stderr).trim()}`);
  const client = new DockerClient({ socketPath: sock });
  await client.negotiatedVersion();
  const phases = { create: [], start: [], wait: [], remove: [], 'create+start+wait': [] };
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    const { Id } = await client.containerCreate({
      Image: IMAGE,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    const t1 = performance.now();
    const wait = client.containerWait(Id, 'next-exit');
    await wait.started;
    const t2 = performance.now();
    await client.containerStart(Id);
    const t3 = performance.now();
    await wait.result;
    const t4 = performance.now();
    await client.containerRemove(Id, { force: true });
    const t5 = performance.now();
    if (i < 2) continue; // warm-up
    phases.create.push(t1 - t0);
    phases.start.push(t3 - t2);
    phases.wait.push(t4 - t3);
    phases.remove.push(t5 - t4);
    phases['create+start+wait'].push(t4 - t0);
  }
  console.log(`Engine API phases (${RUNS} runs, median; goal: create+start+wait under 10 ms)`);
  for (const [name, times] of Object.entries(phases))
    console.log(`  ${name.padEnd(20)} ${median(times).toFixed(2).padStart(9)} ms`);
} finally {
  berthd.kill('SIGTERM');
  if (berthd.exitCode === null) await new Promise((r) => berthd.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  for (const ctrl of readdirSync('/sys/fs/cgroup')) {
    try {
      rmdirSync(join('/sys/fs/cgroup', ctrl, `berth-bench-${tag}`));
    } catch {}
  }
}
