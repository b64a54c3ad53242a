// Test support: a berthd on private temp roots, a unique cgroup parent and its own socket, driven by
// the real docker CLI; and a teardown that removes whatever is left even when a test failed
// (container processes, mounts under the temp dir, cgroups, the daemon itself).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { constants, umount2 } from '@berth/native';

export const DOCKER = '/usr/local/bin/docker';
const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

export interface TestDaemon {
  dir: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  cgroupParent: string;
  proc: ChildProcess;
  log: () => string;
}

export function dockerEnv(d: TestDaemon): NodeJS.ProcessEnv {
  // DOCKER_BUILDKIT=0: the classic builder's /build stream, which berthd serves
  return {
    ...process.env,
    DOCKER_HOST: `unix://${d.socket}`,
    DOCKER_CONFIG: join(d.dir, 'docker-config'),
    DOCKER_BUILDKIT: '0',
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function docker(
  d: TestDaemon,
  args: string[],
  input?: Buffer | string,
  timeoutMs = 30_000,
): RunResult {
  const r = spawnSync(DOCKER, args, {
    env: dockerEnv(d),
    input,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** docker … that must succeed; returns trimmed stdout. */
export function dockerOk(d: TestDaemon, args: string[], input?: Buffer | string): string {
  const r = docker(d, args, input);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

export async function startDaemon(
  dir: string,
  cgroupParent: string,
  extra: string[] = [],
): Promise<TestDaemon> {
  const d: Omit<TestDaemon, 'proc' | 'log'> = {
    dir,
    socket: join(dir, 'berth.sock'),
    dataRoot: join(dir, 'data'),
    execRoot: join(dir, 'exec'),
    cgroupParent,
  };
  const logPath = join(dir, `berthd-${Date.now()}.log`);
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(logPath, 'a');
  const proc = spawn(
    process.execPath,
    [
      MAIN,
      '-H',
      `unix://${d.socket}`,
      '--data-root',
      d.dataRoot,
      '--exec-root',
      d.execRoot,
      '--config-file',
      '/dev/null',
      '--cgroup-parent',
      cgroupParent,
      // no networking unless a test asks for a bridge of its own
      ...(extra.includes('--bridge') ? [] : ['--bridge', 'none']),
      '--log-level',
      'debug',
      // BERTHD_TEST_BACKEND=shim|in-process runs the same tests on @berth/supervisor's backends
      ...(process.env.BERTHD_TEST_BACKEND ? ['--supervisor-backend', process.env.BERTHD_TEST_BACKEND] : []),
      ...extra,
    ],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  const td: TestDaemon = {
    ...d,
    proc,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
  };
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`berthd exited ${proc.exitCode}: ${td.log()}`);
    const r = spawnSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], {
      env: dockerEnv(td),
      encoding: 'utf8',
      timeout: 5000,
    });
    if (r.status === 0) return td;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`berthd did not answer on ${d.socket}: ${td.log()}`);
}

/** SIGTERM and wait for the exit (graceful shutdown); SIGKILL after 20 s. */
export async function stopDaemon(d: TestDaemon): Promise<number | null> {
  if (d.proc.exitCode !== null || d.proc.signalCode !== null) return d.proc.exitCode;
  const exited = new Promise<number | null>((r) => d.proc.once('exit', (code) => r(code)));
  d.proc.kill('SIGTERM');
  const t = setTimeout(() => d.proc.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(t);
  return code;
}

export function makeRootfsTar(dir: string): string {
  const rootfs = join(dir, 'rootfs');
  makeBusyboxRootfs(rootfs);
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  rmSync(rootfs, { recursive: true, force: true });
  return tar;
}

export function uniqueCgroupParent(): string {
  return `/berth-test-${randomBytes(4).toString('hex')}`;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

function cgroupDirs(parent: string): string[] {
  if (!existsSync(CGROUP_ROOT)) return [];
  const out: string[] = [];
  for (const h of readdirSync(CGROUP_ROOT)) {
    const p = join(CGROUP_ROOT, h, parent);
    if (existsSync(p)) out.push(p);
  }
  return out;
}

function walkDepthFirst(dir: string, fn: (d: string) => void): void {
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) walkDepthFirst(join(dir, e.name), fn);
  fn(dir);
}

/** Every pid in the cgroups under `parent`. */
export function processesUnder(parent: string): number[] {
  const pids = new Set<number>();
  for (const root of cgroupDirs(parent))
    walkDepthFirst(root, (d) => {
      const f = join(d, 'cgroup.procs');
      if (!existsSync(f)) return;
      for (const l of readFileSync(f, 'utf8').split('\n')) if (l) pids.add(Number(l));
    });
  return [...pids];
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`));
}

/** Removes everything a test daemon may have left: processes, mounts, cgroups, the temp dir. */
export async function cleanupAll(
  d: TestDaemon | undefined,
  dir: string,
  cgroupParent: string,
): Promise<void> {
  if (d) {
    d.proc.kill('SIGKILL');
  }
  for (let i = 0; i < 3; i++) {
    const pids = [...processesUnder(cgroupParent), ...processesUnder(`${cgroupParent}-build`)];
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const m of mountsUnder(dir).reverse()) {
    try {
      umount2(m, constants.MNT_DETACH!);
    } catch {
      // already gone
    }
  }
  for (const root of [...cgroupDirs(cgroupParent), ...cgroupDirs(`${cgroupParent}-build`)]) {
    try {
      walkDepthFirst(root, (x) => rmdirSync(x));
    } catch {
      // a cgroup still busy: reported by the test's own checks
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'berth-berthd-'));
}

export const cgroupsLeft = (parent: string): string[] => cgroupDirs(parent);
