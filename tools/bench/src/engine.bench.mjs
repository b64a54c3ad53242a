#!/usr/bin/env node
// The engine end to end (issues 9 and 10), side by side in one run:
//   - `run --rm <img> true` through the CLI: berth, the Docker CLI against berthd, and Docker's own
//     engine and Podman where they are installed (dockerd is started on a private socket and
//     data-root; nothing of the host's Docker is touched);
//   - create + start + wait + remove through the Engine API from an in-process client (the goal:
//     under 10 ms), and `node -e 0` as the floor of any Node CLI;
//   - `ps -a` with 100 containers; the daemons' idle resident memory;
//   - a 10-step Dockerfile built cold (--no-cache) and fully cached: berth vs Docker's classic builder.
// berthd runs with its own data/exec roots, cgroup parent and no bridge, so runs compare the
// container path, not networking (see network.bench.mjs for that). Needs root.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { measure, median, printRatios } from './stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const ws = (p) => new URL(`../../../${p}`, import.meta.url).pathname;
const berthCli = ws('apps/berth/dist/main.js');
const berthdMain = ws('apps/berthd/dist/main.js');
const { DockerClient } = await import(new URL('../../../packages/api/dist/index.js', import.meta.url).href);

if (process.getuid?.() !== 0) {
  console.log('engine: skipped (needs root)');
  process.exit(0);
}
for (const f of [berthCli, berthdMain]) {
  if (!existsSync(f)) {
    console.log(`engine: skipped (${f} is not built: pnpm build)`);
    process.exit(0);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-engine-'));
const tag = Math.random().toString(36).slice(2, 8);
const IMAGE = 'bench-busybox:latest';
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const cleanups = [];

async function waitForSocket(path, what, child) {
  for (let i = 0; i < 300; i++) {
    if (existsSync(path)) return;
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not create ${path}`);
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function cli(argv0, args, env) {
  const r = spawnSync(argv0[0], [...argv0.slice(1), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`${[...argv0, ...args].join(' ')}: ${String(r.stderr).trim()}`);
  return String(r.stdout);
}

async function startBerthd() {
  const sock = join(dir, 'berth', 'berth.sock');
  const child = spawn(
    process.execPath,
    [
      berthdMain,
      '-H',
      `unix://${sock}`,
      '--data-root',
      join(dir, 'berth', 'data'),
      '--exec-root',
      join(dir, 'berth', 'exec'),
      '--cgroup-parent',
      `/berth-bench-${tag}`,
      '--bridge',
      'none',
      '--log-level',
      'error',
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
  await waitForSocket(sock, 'berthd', child);
  return { sock, pid: child.pid };
}

/** Docker's engine, where installed: its own socket, data-root, exec-root, no iptables or bridge. */
async function startDockerd() {
  if (!have('dockerd')) return { skipped: 'dockerd not installed (apt-get install docker.io to compare)' };
  const root = join(dir, 'docker');
  const sock = join(root, 'docker.sock');
  mkdirSync(root, { recursive: true });
  const child = spawn(
    'dockerd',
    [
      '-H',
      `unix://${sock}`,
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      join(root, 'exec'),
      '--pidfile',
      join(root, 'docker.pid'),
      '--bridge',
      'none',
      '--iptables=false',
      '--ip6tables=false',
      '--containerd-namespace',
      `berth-bench-${tag}`,
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
  try {
    await waitForSocket(sock, 'dockerd', child);
    return { sock, pid: child.pid };
  } catch (e) {
    return { skipped: `dockerd could not start here: ${e.message}` };
  }
}

try {
  makeBusyboxRootfs(join(dir, 'rootfs'));
  const tarball = join(dir, 'busybox.tar');
  spawnSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tarball, '.']);

  const berthd = await startBerthd();
  // berth's V8 code cache in the bench's dir (not $HOME): written by the import below, so timed runs
  // start from it, as a user's commands after the first do
  const berthEnv = {
    BERTH_HOST: `unix://${berthd.sock}`,
    BERTH_NO_AUTOSTART: '1',
    BERTH_COMPILE_CACHE: join(dir, 'berth-compile-cache'),
  };
  const dockerOnBerth = { DOCKER_HOST: `unix://${berthd.sock}` };
  cli([process.execPath, berthCli], ['import', '--change', 'CMD ["sh"]', tarball, IMAGE], berthEnv);
  const dockerd = await startDockerd();
  if (dockerd.sock)
    cli(['docker'], ['import', '--change', 'CMD ["sh"]', tarball, IMAGE], {
      DOCKER_HOST: `unix://${dockerd.sock}`,
    });
  if (have('podman')) {
    try {
      cli(['podman'], ['import', '--change', 'CMD ["sh"]', tarball, IMAGE], {});
      cleanups.push(async () => spawnSync('podman', ['rmi', '-f', IMAGE]));
    } catch {}
  }

  // --- run --rm true through a CLI ---------------------------------------------------------------
  const runArgs = ['run', '--rm', '--network', 'none', IMAGE, 'true'];
  const timeCli = async (name, argv0, env, note) => {
    try {
      cli(argv0, runArgs, env); // check once: report why it cannot run
    } catch (e) {
      return { name, skipped: e.message.split('\n')[0] };
    }
    const times = await measure(() => cli(argv0, runArgs, env), { runs: RUNS, warmup: 2 });
    return { name, times, note };
  };
  const rows = [];
  rows.push({
    name: 'node -e 0',
    times: await measure(() => spawnSync(process.execPath, ['-e', '0']), { runs: RUNS }),
    note: 'the floor of a Node CLI',
  });
  rows.push(await timeCli('berth run --rm', [process.execPath, berthCli], berthEnv));
  rows.push(
    await timeCli(
      'berth run --rm (no cache)',
      [process.execPath, berthCli],
      { ...berthEnv, BERTH_DISABLE_COMPILE_CACHE: '1' },
      'without V8 code cache',
    ),
  );
  if (have('docker')) rows.push(await timeCli('docker CLI -> berthd', ['docker'], dockerOnBerth));
  rows.push(
    dockerd.sock
      ? await timeCli('docker CLI -> dockerd', ['docker'], { DOCKER_HOST: `unix://${dockerd.sock}` })
      : { name: 'docker CLI -> dockerd', skipped: dockerd.skipped },
  );
  rows.push(
    have('podman')
      ? await timeCli('podman run --rm', ['podman'], {})
      : { name: 'podman run --rm', skipped: 'podman not installed' },
  );
  const base = rows.find((r) => r.name === 'docker CLI -> dockerd' && r.times)
    ? 'docker CLI -> dockerd'
    : 'berth run --rm';
  printRatios(`run --rm ${IMAGE} true (${RUNS} runs, median; goal: berth <= 1/3 of docker run)`, rows, base);

  // --- the API from an in-process client ---------------------------------------------------------
  const client = new DockerClient({ socketPath: berthd.sock });
  await client.negotiatedVersion();
  const apiRun = async () => {
    const { Id } = await client.containerCreate({
      Image: IMAGE,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    const wait = client.containerWait(Id, 'next-exit');
    await wait.started;
    await client.containerStart(Id);
    await wait.result;
    await client.containerRemove(Id, { force: true });
  };
  const createStart = async () => {
    const { Id } = await client.containerCreate({
      Image: IMAGE,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    const t0 = performance.now();
    await client.containerStart(Id);
    const started = performance.now() - t0;
    await client.containerWait(Id, 'not-running').result;
    await client.containerRemove(Id, { force: true });
    return started;
  };
  const startTimes = [];
  for (let i = 0; i < RUNS; i++) startTimes.push(await createStart());
  printRatios(
    'Engine API from an in-process client (median; goal: container start under 10 ms)',
    [
      { name: 'create+start+wait+remove', times: await measure(apiRun, { runs: RUNS, warmup: 2 }) },
      { name: 'start alone', times: startTimes },
    ],
    'create+start+wait+remove',
  );

  // --- ps with 100 containers ------------------------------------------------------------------
  const ids = [];
  for (let i = 0; i < 100; i++) ids.push((await client.containerCreate({ Image: IMAGE, Cmd: ['true'] })).Id);
  printRatios(
    'ps -a with 100 containers (median)',
    [
      {
        name: 'berth ps -a',
        times: await measure(() => cli([process.execPath, berthCli], ['ps', '-a'], berthEnv)),
      },
      { name: 'API GET /containers/json', times: await measure(() => client.containerList({ all: true })) },
    ],
    'berth ps -a',
  );
  for (const id of ids) await client.containerRemove(id, { force: true });

  // --- memory per running container: the shim that holds it (the parent of its init) -------------
  const shimOf = (argv0, env) => {
    const id = cli(argv0, ['run', '-d', '--network', 'none', IMAGE, 'sleep', '1000'], env).trim();
    const pid = Number(cli(argv0, ['inspect', '-f', '{{.State.Pid}}', id], env).trim());
    const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    const name = readFileSync(`/proc/${ppid}/comm`, 'utf8').trim();
    return { id, name, kib: rssKiB(ppid) };
  };
  console.log('memory per running container: resident set of its shim (the parent of its init)');
  for (const [who, argv0, env] of [
    ['berthd', [process.execPath, berthCli], berthEnv],
    ...(dockerd.sock ? [['dockerd', ['docker'], { DOCKER_HOST: `unix://${dockerd.sock}` }]] : []),
  ]) {
    const s = shimOf(argv0, env);
    console.log(`  ${`${who}: ${s.name}`.padEnd(40)} ${(s.kib / 1024).toFixed(2)} MiB`);
    cli(argv0, ['rm', '-f', s.id], env);
  }
  if (!dockerd.sock) console.log(`  dockerd: containerd-shim-runc-v2        skipped: ${dockerd.skipped}`);

  // --- idle memory -------------------------------------------------------------------------------
  await new Promise((r) => setTimeout(r, 1000));
  console.log('idle resident memory');
  console.log(`  berthd                       ${(rssKiB(berthd.pid) / 1024).toFixed(1)} MiB`);
  console.log(
    `  dockerd                      ${dockerd.pid ? `${(rssKiB(dockerd.pid) / 1024).toFixed(1)} MiB` : `skipped: ${dockerd.skipped}`}`,
  );

  // --- build: 10 steps, cold and cached ----------------------------------------------------------
  const ctx = join(dir, 'context');
  mkdirSync(ctx);
  for (let i = 0; i < 3; i++) writeFileSync(join(ctx, `file${i}.txt`), `content ${i}\n`.repeat(1000));
  writeFileSync(
    join(ctx, 'Dockerfile'),
    [
      `FROM ${IMAGE}`,
      'ENV APP=/app',
      'WORKDIR /app',
      'COPY file0.txt .',
      'RUN cat file0.txt | wc -l > lines',
      'COPY file1.txt file2.txt ./',
      'RUN mkdir -p /data && echo ready > /data/state',
      'ARG VERSION=1',
      'LABEL version=$VERSION',
      'USER 1000',
      'CMD ["cat", "/data/state"]',
      '',
    ].join('\n'),
  );
  const buildRow = async (name, argv0, env, extra) => {
    const args = (noCache) => [
      'build',
      '-q',
      ...(noCache ? ['--no-cache'] : []),
      '-t',
      `bench-build-${tag}`,
      ctx,
    ];
    try {
      cli(argv0, args(false), { ...env, ...extra });
    } catch (e) {
      return [
        { name: `${name} cold`, skipped: e.message.split('\n')[0] },
        { name: `${name} cached`, skipped: 'see cold' },
      ];
    }
    return [
      {
        name: `${name} cold`,
        times: await measure(() => cli(argv0, args(true), { ...env, ...extra }), { runs: 5, warmup: 1 }),
      },
      {
        name: `${name} cached`,
        times: await measure(() => cli(argv0, args(false), { ...env, ...extra }), { runs: RUNS, warmup: 1 }),
      },
    ];
  };
  const buildRows = [...(await buildRow('berth build', [process.execPath, berthCli], berthEnv, {}))];
  // the same daemon through docker's Go CLI: berthd's builder without the Node CLI's start-up
  if (have('docker'))
    buildRows.push(
      ...(await buildRow('docker CLI -> berthd', ['docker'], dockerOnBerth, { DOCKER_BUILDKIT: '0' })),
    );
  if (dockerd.sock)
    buildRows.push(
      ...(await buildRow(
        'docker build (classic)',
        ['docker'],
        { DOCKER_HOST: `unix://${dockerd.sock}` },
        {
          DOCKER_BUILDKIT: '0',
        },
      )),
    );
  else buildRows.push({ name: 'docker build (classic)', skipped: dockerd.skipped });
  printRatios(
    '10-step Dockerfile (median; goal: berth faster cold and cached)',
    buildRows,
    'berth build cold',
  );
  console.log(
    `  cached/cold for berth: ${(median(buildRows[1].times ?? [0]) / median(buildRows[0].times ?? [1])).toFixed(2)}`,
  );
} finally {
  for (const f of cleanups.reverse()) await f().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  // berthd's containers are gone with it; their (empty) parent cgroup is ours to remove
  for (const ctrl of readdirSync('/sys/fs/cgroup')) {
    for (const parent of [`berth-bench-${tag}`, `berth-bench-${tag}-build`]) {
      try {
        rmdirSync(join('/sys/fs/cgroup', ctrl, parent));
      } catch {}
    }
  }
}
