#!/usr/bin/env node
// Shim benchmark (issue 7): the idle resident memory of berth-shim with a running container (the
// cost every container pays while it runs), beside the peers' shims when installed (conmon,
// containerd-shim-runc-v2; absent machines print so), and the time of a whole container run through
// the shim (prepare + launch + start + wait + shutdown + delete) beside @berth/runtime in-process.
// RSS is /proc/<pid>/status VmRSS of the shim process itself. Needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { measure, printRatios } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SHIMS = Number(process.env.BENCH_SHIMS ?? 5);
// neither is a dependency of @berth/bench: load their builds from the workspace
const { Runtime, defaultSpec } = await import(
  new URL('../../../packages/runtime/dist/index.js', import.meta.url).href
);
const { launchShim } = await import(new URL('../../../packages/shim/dist/index.js', import.meta.url).href);

if (process.getuid?.() !== 0) {
  console.log('shim: skipped (needs root)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-shim-'));
makeBusyboxRootfs(join(dir, 'rootfs'));
const rt = new Runtime({ root: join(dir, 'state') });
let n = 0;
const nextId = () => `berth-bench-shim-${process.pid}-${n++}`;

function writeSpec(args) {
  const spec = defaultSpec();
  spec.process.terminal = false;
  spec.process.args = args;
  spec.root = { path: 'rootfs', readonly: false };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

async function launch(id, args) {
  writeSpec(args);
  const { plan } = await rt.prepare(id, { bundle: dir });
  const shim = await launchShim({
    id,
    dir: join(dir, 'shims', id),
    plan,
    stdio: { terminal: false, stdin: false },
    log: { path: join(dir, `${id}.log`), format: 'json-file', maxSize: 1 << 20, maxFiles: 2 },
  });
  await rt.adopt(id, { pid: shim.pid });
  return shim;
}

const shims = [];
try {
  // idle RSS: SHIMS shims, each with a sleeping container that logged a line
  for (let i = 0; i < SHIMS; i++) {
    const id = nextId();
    const shim = await launch(id, ['sh', '-c', 'echo ready; exec sleep 1000']);
    await shim.start();
    shims.push({ id, shim });
  }
  await new Promise((r) => setTimeout(r, 300));
  const rss = shims.map(({ shim }) => rssKiB(shim.shimPid)).sort((a, b) => a - b);
  console.log(`idle shim RSS (VmRSS, ${SHIMS} shims, each with a running container)`);
  console.log(
    `  berth-shim                   ${(rss[Math.floor(rss.length / 2)] / 1024).toFixed(2)} MiB median, ${(Math.max(...rss) / 1024).toFixed(2)} MiB max`,
  );
  for (const peer of ['conmon', 'containerd-shim-runc-v2', 'containerd-shim']) {
    const found = spawnSync('sh', ['-c', `command -v ${peer}`]).status === 0;
    const running = found
      ? spawnSync('pgrep', ['-x', peer.slice(0, 15)], { encoding: 'utf8' }).stdout.trim()
      : '';
    if (!found) console.log(`  ${peer.padEnd(28)} not installed`);
    else if (!running) console.log(`  ${peer.padEnd(28)} installed, none running to measure`);
    else
      console.log(
        `  ${peer.padEnd(28)} ${(rssKiB(Number(running.split('\n')[0])) / 1024).toFixed(2)} MiB (a running one)`,
      );
  }
  for (const { id, shim } of shims.splice(0)) {
    await shim.shutdown();
    await rt.delete(id, { force: true });
  }

  // a whole run of /bin/true through the shim, and in-process
  writeSpec(['/bin/true']);
  const viaShim = await measure(
    async () => {
      const id = nextId();
      const shim = await launch(id, ['/bin/true']);
      await shim.start();
      await shim.wait();
      await shim.shutdown();
      await rt.delete(id, { force: true });
    },
    { runs: RUNS },
  );
  writeSpec(['/bin/true']);
  const inProcess = await measure(
    async () => {
      await rt.run(nextId(), { bundle: dir });
    },
    { runs: RUNS },
  );
  printRatios(
    'run /bin/true (median)',
    [
      { name: '@berth/runtime in-process', times: inProcess },
      { name: 'through berth-shim', times: viaShim, note: 'prepare, launch, start, wait, shutdown, delete' },
    ],
    '@berth/runtime in-process',
  );
} finally {
  for (const { id, shim } of shims) {
    await shim.shutdown().catch(() => {});
    await rt.delete(id, { force: true }).catch(() => {});
  }
  rmSync(dir, { recursive: true, force: true });
}
