#!/usr/bin/env node
// Supervisor benchmark (issue 7): the time of a whole container run of /bin/true through the
// supervisor's API (container create, task create, start, wait, task delete, container delete) with
// the shim backend, the in-process backend and over gRPC, beside `runc run` of the same bundle (the
// OCI runtime alone, what containerd adds its shim and API to) and `ctr run` when containerd is
// installed. Also the time to open a supervisor that recovers N running tasks. Needs root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { measure, printRatios } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TASKS = Number(process.env.BENCH_TASKS ?? 10);
// not a dependency of @berth/bench: load its build from the workspace
const { Supervisor, SupervisorClient, serveSupervisor } = await import(
  new URL('../../../packages/supervisor/dist/index.js', import.meta.url).href
);
const { defaultSpec } = await import(
  new URL('../../../packages/oci-spec/dist/index.js', import.meta.url).href
);

if (process.getuid?.() !== 0) {
  console.log('supervisor: skipped (needs root)');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-supervisor-'));
const rootfs = join(dir, 'rootfs');
makeBusyboxRootfs(rootfs);
const cgroupParent = `/berth-bench-supervisor-${process.pid}`;
let n = 0;
const nextId = () => `berth-bench-sv-${process.pid}-${n++}`;

function spec(args, root = rootfs) {
  const s = defaultSpec();
  s.process.terminal = false;
  s.process.args = args;
  s.root = { path: root, readonly: false };
  return s;
}

const options = (name, backend) => ({
  root: join(dir, name, 'root'),
  stateDir: join(dir, name, 'state'),
  runtimeRoot: join(dir, name, 'runtime'),
  cgroupParent,
  backend,
});

async function runOnce(api) {
  const id = nextId();
  await api.containers.create('default', { id, spec: spec(['/bin/true']) });
  await api.tasks.create('default', id);
  await api.tasks.start('default', id);
  await api.tasks.wait('default', id);
  await api.tasks.delete('default', id);
  await api.containers.delete('default', id);
}

const opened = [];
let server;
let client;
try {
  const shim = await Supervisor.open(options('shim', 'shim'));
  opened.push(shim);
  const inproc = await Supervisor.open(options('inproc', 'in-process'));
  opened.push(inproc);
  server = await serveSupervisor(shim, join(dir, 'supervisor.sock'));
  client = new SupervisorClient(server.socketPath);

  const rows = [
    { name: 'supervisor, shim', times: await measure(() => runOnce(shim), { runs: RUNS }) },
    { name: 'supervisor, in-process', times: await measure(() => runOnce(inproc), { runs: RUNS }) },
    { name: 'supervisor over gRPC, shim', times: await measure(() => runOnce(client), { runs: RUNS }) },
  ];
  // runc run of a bundle with the same spec (absolute root path)
  const runcBundle = join(dir, 'runc-bundle');
  spawnSync('mkdir', ['-p', runcBundle]);
  const runcSpec = spec(['/bin/true']);
  runcSpec.linux.cgroupsPath = `${cgroupParent}/runc`;
  writeFileSync(join(runcBundle, 'config.json'), JSON.stringify(runcSpec));
  if (spawnSync('sh', ['-c', 'command -v runc']).status === 0) {
    rows.push({
      name: 'runc run (runtime only)',
      times: await measure(
        () => {
          const r = spawnSync('runc', ['--root', join(dir, 'runc-root'), 'run', '-b', runcBundle, nextId()], {
            stdio: 'ignore',
          });
          if (r.status !== 0) throw new Error(`runc run failed: ${r.status}`);
        },
        { runs: RUNS },
      ),
      note: 'no shim, no API, no metadata',
    });
  } else rows.push({ name: 'runc run (runtime only)', skipped: 'runc not installed' });
  const ctr = spawnSync('sh', ['-c', 'command -v ctr && ctr version'], { stdio: 'ignore' }).status === 0;
  rows.push({
    name: 'ctr run (containerd)',
    skipped: ctr ? 'needs an image in containerd; not measured' : 'containerd not installed',
  });
  printRatios('run /bin/true: create, start, wait, delete (median)', rows, 'supervisor, shim');

  // recovery: open a supervisor over TASKS running tasks (each reconnects to its shim)
  const ids = [];
  for (let i = 0; i < TASKS; i++) {
    const id = nextId();
    await shim.containers.create('default', { id, spec: spec(['sleep', '1000']) });
    await shim.tasks.create('default', id);
    await shim.tasks.start('default', id);
    ids.push(id);
  }
  const reopen = await measure(
    async () => {
      const again = await Supervisor.open(options('shim', 'shim'));
      if (again.lastRecovery.reconnected.length !== TASKS) throw new Error('recovery missed tasks');
      await again.close();
    },
    { runs: 5, warmup: 1 },
  );
  printRatios(
    `open with ${TASKS} running tasks (recovery, median)`,
    [{ name: 'Supervisor.open', times: reopen }],
    '',
  );
  for (const id of ids) {
    await shim.tasks.delete('default', id, { force: true });
    await shim.containers.delete('default', id);
  }
} finally {
  await client?.close();
  await server?.close();
  for (const s of opened) {
    for (const t of await s.tasks.list('default').catch(() => []))
      await s.tasks.delete('default', t.id, { force: true }).catch(() => {});
    await s.close();
  }
  spawnSync('sh', [
    '-c',
    `for c in /sys/fs/cgroup/*${cgroupParent}; do find "$c" -depth -type d -exec rmdir {} \\; 2>/dev/null; done`,
  ]);
  rmSync(dir, { recursive: true, force: true });
}
