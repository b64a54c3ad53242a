// berth against a real berthd (apps/berthd's bundle) on private temp roots, its own socket and a
// unique cgroup parent; skipped when berthd has not been built. Everything the daemon made is removed
// afterwards, also when a test fails.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerClient } from '@berth/api';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { constants, umount2 } from '@berth/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BERTH = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const BERTHD = fileURLToPath(new URL('../../berthd/dist/main.js', import.meta.url));
const IMAGE = 'berth-busybox:e2e';

let dir: string;
let socket: string;
let cgroupParent: string;
let daemon: ChildProcess | undefined;

function berth(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BERTH, '-H', `unix://${socket}`, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    // the code cache in the test's dir, not $HOME/.cache/berth
    env: { ...process.env, BERTH_NO_AUTOSTART: '1', BERTH_COMPILE_CACHE: join(dir, 'compile-cache') },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function berthRun(args: string[], input?: string, _name?: string) {
  return berth(args, input);
}

function cgroupDirs(parent: string): string[] {
  return readdirSync('/sys/fs/cgroup')
    .map((h) => join('/sys/fs/cgroup', h, parent))
    .filter((p) => existsSync(p));
}

function depthFirst(d: string, fn: (x: string) => void): void {
  for (const e of readdirSync(d, { withFileTypes: true }))
    if (e.isDirectory()) depthFirst(join(d, e.name), fn);
  fn(d);
}

async function cleanup(): Promise<void> {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon!.once('exit', r));
    daemon.kill('SIGTERM');
    const t = setTimeout(() => daemon!.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }
  for (const root of cgroupDirs(cgroupParent)) {
    depthFirst(root, (d) => {
      const procs = join(d, 'cgroup.procs');
      if (!existsSync(procs)) return;
      for (const pid of readFileSync(procs, 'utf8').split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  await new Promise((r) => setTimeout(r, 200));
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .reverse();
  for (const m of mounts) {
    try {
      umount2(m, constants.MNT_DETACH!);
    } catch {
      // already unmounted
    }
  }
  for (const root of cgroupDirs(cgroupParent)) {
    try {
      depthFirst(root, (d) => rmdirSync(d));
    } catch {
      // a cgroup still busy is reported by the next run's leftovers check, not here
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

describe.skipIf(!existsSync(BERTHD))('berth against berthd', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-cli-e2e-'));
    socket = join(dir, 'berth.sock');
    cgroupParent = `/berth-test-cli-${randomBytes(4).toString('hex')}`;
    const log = openSync(join(dir, 'berthd.log'), 'a');
    daemon = spawn(
      process.execPath,
      [
        BERTHD,
        '-H',
        `unix://${socket}`,
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--config-file',
        '/dev/null',
        '--cgroup-parent',
        cgroupParent,
        '--bridge',
        'none',
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const client = new DockerClient({ socketPath: socket });
    for (let i = 0; ; i++) {
      try {
        await client.ping();
        break;
      } catch (err) {
        if (i > 150 || daemon.exitCode !== null)
          throw new Error(
            `berthd did not start: ${String(err)}\n${readFileSync(join(dir, 'berthd.log'), 'utf8')}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    client.close();
    const rootfs = join(dir, 'rootfs');
    makeBusyboxRootfs(rootfs);
    execFileSync('tar', ['-C', rootfs, '-cf', join(dir, 'rootfs.tar'), '.']);
    rmSync(rootfs, { recursive: true, force: true });
    const imported = berth(['import', join(dir, 'rootfs.tar'), IMAGE]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  }, 60_000);

  afterAll(cleanup, 60_000);

  it('berth run --rm <busybox image> echo hello from berth', () => {
    const r = berthRun(['run', '--rm', IMAGE, 'echo', 'hello', 'from', 'berth']);
    expect(r).toEqual({ code: 0, stdout: 'hello from berth\n', stderr: '' });
    expect(berth(['ps', '-a', '-q']).stdout).toBe('');
  });

  it('run returns the container exit status and keeps stderr apart', () => {
    const r = berthRun(['run', '--rm', IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('run -i feeds stdin; -d, logs, exec, inspect, stop, rm', () => {
    expect(berthRun(['run', '--rm', '-i', IMAGE, 'cat'], 'piped in\n').stdout).toBe('piped in\n');
    const name = `berth-cli-e2e-${randomBytes(3).toString('hex')}`;
    const id = berthRun(
      ['run', '-d', '--name', name, IMAGE, 'sh', '-c', 'echo started; exec sleep 60'],
      undefined,
      name,
    ).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(berth(['ps', '--format', '{{.Names}} {{.State}}']).stdout).toContain(`${name} running`);
    const exec = berth(['exec', '-i', name, 'sh', '-c', 'cat; exit 3'], 'via exec\n');
    expect(exec).toMatchObject({ code: 3, stdout: 'via exec\n' });
    expect(berth(['inspect', '-f', '{{.State.Status}}', name]).stdout).toBe('running\n');
    expect(berth(['logs', name]).stdout).toBe('started\n');
    expect(berth(['stop', '-t', '1', name])).toMatchObject({ code: 0, stdout: `${name}\n` });
    expect(berth(['rm', name])).toMatchObject({ code: 0, stdout: `${name}\n` });
  });

  it('run -it gives the container a terminal (under script(1), as there is no controlling tty here)', () => {
    const cmd = `${process.execPath} ${BERTH} -H unix://${socket} run --rm -it ${IMAGE} sh -c 'tty; exit 2'`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, BERTH_COMPILE_CACHE: join(dir, 'compile-cache') },
      input: '\n',
      timeout: 60_000,
    });
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(r.status).toBe(2);
  });

  it('reports a missing image with exit 125 when it cannot be pulled', () => {
    const r = berth(['run', '--rm', '--pull', 'never', 'berth-no-such-image:1', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Error response from daemon');
  });
});
