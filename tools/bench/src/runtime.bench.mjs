#!/usr/bin/env node
// OCI runtime benchmark (issue 6): `run` of /bin/true (create + start + wait + delete) on one
// busybox bundle, side by side: the berth-runtime CLI, @berth/runtime in-process (what the
// supervisor uses: no process per container), runc, crun (installed from Debian here when
// missing; it refuses hybrid cgroup hosts, and the reason is printed), and `node -e 0`, the floor
// of any Node CLI. Times are medians; peak RSS is GNU time's maximum resident set size. Needs root.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { measure, median, printRatios } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const cliMain = new URL('../../../apps/berth-runtime/dist/main.js', import.meta.url).pathname;
// @berth/runtime is not a dependency of @berth/bench: load its build from the workspace.
const { Runtime, defaultSpec } = await import(
  new URL('../../../packages/runtime/dist/index.js', import.meta.url).href
);

if (process.getuid?.() !== 0) {
  console.log('runtime: skipped (needs root)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-runtime-'));
makeBusyboxRootfs(join(dir, 'rootfs'));
const spec = defaultSpec();
spec.process.terminal = false;
spec.process.args = ['/bin/true'];
// Debian's crun 1.8 refuses "1.2.1" as an unknown version; every runtime here takes 1.0.2
spec.ociVersion = '1.0.2';
writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** crun comes from Debian; installed on first use (CI machines have apt). */
function ensureCrun() {
  if (have('crun')) return null;
  const r = spawnSync('apt-get', ['install', '-y', '-q', 'crun'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return r.status === 0 && have('crun')
    ? null
    : `crun not installed (apt-get: ${String(r.stderr).trim().split('\n').pop()})`;
}

/** One process-run subject: a check run first (to report why it cannot run), then hyperfine-like timing. */
async function processSubject(name, argv, note) {
  const root = join(dir, `root-${name.replace(/\W+/g, '-')}`);
  const args = argv(root);
  const check = spawnSync(args[0], args.slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (check.status !== 0) {
    const why = String(check.stderr).trim().split('\n').pop() || `exit ${check.status}`;
    return { name, skipped: `cannot run here: ${why}` };
  }
  const times = await measure(
    () => {
      const r = spawnSync(args[0], args.slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    },
    { runs: RUNS, warmup: WARMUP },
  );
  return { name, times, rss: peakRss(args), note };
}

/** GNU time's %M (KiB) for one run. */
function peakRss(args) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kib = Number(String(r.stderr).trim().split('\n').pop());
  return Number.isFinite(kib) ? kib : undefined;
}

const rows = [];
try {
  rows.push(
    await processSubject('node -e 0', () => [process.execPath, '-e', '0'], 'the floor of a Node CLI'),
  );
  rows.push(await processSubject('runc run', (root) => ['runc', '--root', root, 'run', 'berth-bench-runc']));
  const crunMissing = ensureCrun();
  rows.push(
    crunMissing
      ? { name: 'crun run', skipped: crunMissing }
      : await processSubject('crun run', (root) => ['crun', '--root', root, 'run', 'berth-bench-crun']),
  );
  rows.push(
    await processSubject('berth-runtime run (CLI)', (root) => [
      process.execPath,
      cliMain,
      '--root',
      root,
      'run',
      'berth-bench-cli',
    ]),
  );
  const rt = new Runtime({ root: join(dir, 'root-lib') });
  const before = process.resourceUsage().maxRSS;
  const lib = await measure(
    async () => {
      const st = await rt.run('berth-bench-lib', { bundle: dir });
      if (st.exitCode !== 0) throw new Error(`in-process run: ${JSON.stringify(st)}`);
    },
    { runs: RUNS, warmup: WARMUP },
  );
  rows.push({
    name: '@berth/runtime in-process',
    times: lib,
    rss: process.resourceUsage().maxRSS,
    note: `goal <= 10 ms; RSS is this whole Node process (was ${before} KiB before)`,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

for (const r of rows)
  if (r.rss) r.note = `${r.note ? `${r.note}; ` : ''}peak RSS ${(r.rss / 1024).toFixed(1)} MiB`;
printRatios(
  `run /bin/true: create + start + wait + delete, busybox bundle (${RUNS} runs, median)`,
  rows,
  'runc run',
);

const get = (n) => rows.find((r) => r.name === n && r.times);
const cli = get('berth-runtime run (CLI)');
const node = get('node -e 0');
const crun = get('crun run');
if (cli && node) {
  const overhead = median(cli.times) - median(node.times);
  console.log(
    `  berth-runtime CLI minus node -e 0: ${overhead.toFixed(2)} ms` +
      (crun
        ? ` (goal: <= crun's ${median(crun.times).toFixed(2)} ms)`
        : " (goal: <= crun's whole run; crun could not run here)"),
  );
}
