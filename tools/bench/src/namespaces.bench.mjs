#!/usr/bin/env node
// Init engine micro-benchmark (issue 3): time from "plan ready" to "child exec'd /bin/true and was
// reaped", with new pid/mount/uts/ipc/net namespaces, against util-linux
// `unshare --fork --pid --mount --uts --ipc --net true` (the kernel's floor for the same work).
// unshare is timed two ways: by hyperfine (no shell, no Node: the floor) and from Node with
// child_process.spawnSync (the same parent process berth runs in). Needs root.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printRatios } from './stats.mjs';

// @berth/native is not (yet) a dependency of @berth/bench: load its build from the workspace.
const native = await import(new URL('../../../native/dist/index.js', import.meta.url).href);
const { constants: C, encodePlan, spawnContainer } = native;

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const FLAGS = C.CLONE_NEWPID | C.CLONE_NEWNS | C.CLONE_NEWUTS | C.CLONE_NEWIPC | C.CLONE_NEWNET;
const plan = encodePlan({ cloneFlags: FLAGS, args: ['/bin/true'], env: [], stdio: [-1, -1, -1] });

async function berthOnce() {
  const p = await spawnContainer(plan);
  const st = await p.wait();
  if (st.exitCode !== 0) throw new Error(`/bin/true exited ${JSON.stringify(st)}`);
}

function unshareOnce() {
  const r = spawnSync('unshare', ['--fork', '--pid', '--mount', '--uts', '--ipc', '--net', 'true']);
  if (r.status !== 0) throw new Error(`unshare failed: ${r.stderr}`);
}

function hyperfine() {
  if (spawnSync('hyperfine', ['--version']).status !== 0) return { skipped: 'hyperfine not installed' };
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-ns-'));
  try {
    const out = join(dir, 'h.json');
    const r = spawnSync(
      'hyperfine',
      [
        '-N',
        '--warmup',
        '20',
        '--runs',
        String(RUNS),
        '--export-json',
        out,
        'unshare --fork --pid --mount --uts --ipc --net true',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (r.status !== 0 || !existsSync(out)) return { skipped: `hyperfine failed: ${r.stderr}` };
    const times = JSON.parse(readFileSync(out, 'utf8')).results[0].times.map((s) => s * 1000);
    return { times };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.getuid?.() !== 0) {
  console.log('namespaces: skipped (needs root)');
  process.exit(0);
}
const floor = hyperfine();
const berth = await measure(berthOnce, { runs: RUNS, warmup: 20 });
const fromNode = await measure(unshareOnce, { runs: RUNS, warmup: 20 });
printRatios(
  `plan ready -> /bin/true exec'd and reaped, new pid+mount+uts+ipc+net namespaces (${RUNS} runs, median)`,
  [
    { name: 'unshare (hyperfine -N)', ...floor, note: 'the floor' },
    { name: 'unshare (spawnSync from Node)', times: fromNode },
    { name: 'berth init engine', times: berth, note: 'goal: within 2x of the floor' },
  ],
  'unshare (hyperfine -N)',
);
