// launchShim: writes the init plan into the shim's directory, starts berth-shim (which detaches
// itself: fork + setsid) and reads its one-line JSON report from its stdout; resolves with a
// connected client once the container is "created".
import { closeSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { isAbsolute, join } from 'node:path';
import {
  ContainerInitError,
  constants,
  errnoName,
  INIT_STEPS,
  type InitStep,
  isSyscallError,
  pipe,
  spawnProcess,
  waitpid,
  waitReadable,
} from '@berth/native';
import { z } from 'zod';
import { shimBinaryPath } from './binary.js';
import { SHIM_SOCKET, ShimClient } from './client.js';
import { ShimError } from './errors.js';

export const LogOptions = z.object({
  /** absolute path of the log file */
  path: z.string().refine(isAbsolute, 'must be an absolute path'),
  format: z.enum(['json-file', 'raw']),
  /** rotate once the file has reached this many bytes (0/unset: never) */
  maxSize: z.number().int().min(0).optional(),
  /** files kept, the current one included (Docker's max-file; default 1) */
  maxFiles: z.number().int().min(1).max(1000).optional(),
});
export type LogOptions = z.infer<typeof LogOptions>;

export const LaunchOptions = z.object({
  /** the container id (for the shim's own messages) */
  id: z.string().min(1).max(127),
  /** the shim's directory: its socket, pid file and exit file live here */
  dir: z.string().refine(isAbsolute, 'must be an absolute path'),
  /** the encoded init plan (Runtime.prepare); its stdio and console socket are the shim's to fill */
  plan: z.instanceof(Buffer).optional(),
  /**
   * Or: drive an OCI runtime CLI (runc, berth-runtime) on a bundle instead of the engine, as
   * containerd-shim-runc-v2 does (`create`, `start`, `kill`, `exec --detach`, `delete --force` at
   * shutdown). The bundle's process.terminal must match stdio.terminal.
   */
  runtime: z
    .object({
      /** the runtime executable (a path, or a name looked up in PATH) */
      path: z.string().min(1),
      /** absolute bundle directory (config.json + rootfs) */
      bundle: z.string().refine(isAbsolute, 'must be an absolute path'),
      /** the runtime's --root */
      root: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
    })
    .optional(),
  stdio: z.object({ terminal: z.boolean(), stdin: z.boolean() }),
  log: LogOptions.optional(),
  /** where the shim writes its own diagnostics (default: nowhere) */
  debugLog: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
  /**
   * How long to wait for the shim to report and answer on its socket (default 60 s; it includes the
   * container's prestart and createRuntime hooks). Past it the shim and what it started are killed.
   */
  timeoutMs: z.number().int().positive().optional(),
  /** the shim executable (default: shimBinaryPath()) */
  binary: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
});
export type LaunchOptions = z.infer<typeof LaunchOptions>;

const Report = z.union([
  z.object({ ok: z.literal(true), pid: z.number().int().positive(), shimPid: z.number().int().positive() }),
  z.object({
    ok: z.literal(false),
    errno: z.number().int(),
    step: z.number().int().min(0),
    /** "hook": a prestart/createRuntime hook failed; the message says which and how */
    kind: z.literal('hook').optional(),
    message: z.string(),
  }),
]);

export const DEFAULT_LAUNCH_TIMEOUT_MS = 60_000;

const SHIM_PID_FILE = 'shim.pid';

/** The longest unix socket path (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

function shimArgs(o: LaunchOptions, planPath: string | undefined): string[] {
  const args = ['--id', o.id, '--dir', o.dir];
  if (planPath) args.push('--plan', planPath);
  if (o.runtime) {
    args.push('--runtime', o.runtime.path, '--bundle', o.runtime.bundle);
    if (o.runtime.root) args.push('--runtime-root', o.runtime.root);
  }
  if (o.stdio.terminal) args.push('--terminal');
  if (o.stdio.stdin) args.push('--stdin');
  if (o.log) {
    args.push('--log', o.log.path, '--log-format', o.log.format);
    if (o.log.maxSize) args.push('--log-max-size', String(o.log.maxSize));
    if (o.log.maxFiles) args.push('--log-max-files', String(o.log.maxFiles));
  }
  if (o.debugLog) args.push('--debug-log', o.debugLog);
  return args;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** argv, state letter and process group of a process, or undefined once it is gone. */
function procInfo(pid: number): { argv: string[]; state: string; pgrp: number } | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { argv, state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** The shim of `dir` runs with `--dir <dir>` (its detached fork keeps the launcher's argv). */
function isShimOf(argv: string[], dir: string): boolean {
  const i = argv.indexOf('--dir');
  return i >= 0 && argv[i + 1] === dir;
}

/** Kills a shim of `dir`, with its process group when it leads one (it does after setsid). */
function killShim(pid: number, dir: string): number | undefined {
  const info = procInfo(pid);
  if (!info || !isShimOf(info.argv, dir)) return undefined;
  if (info.pgrp === pid) {
    try {
      process.kill(-pid, 'SIGKILL');
      return pid;
    } catch {
      // fall through to the process alone
    }
  }
  killPid(pid);
  return pid;
}

/**
 * Waits until no live process (zombies are dead) is a shim of `dir` or in one of `groups`: SIGKILL is
 * delivered at once but the exit takes a moment on a loaded machine, and the caller goes on to remove
 * the container's cgroup. Capped, as a process stuck in the kernel cannot be waited out.
 */
async function waitKilled(dir: string, groups: number[], capMs = 10_000): Promise<void> {
  const deadline = Date.now() + capMs;
  for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
    const left = readdirSync('/proc').some((p) => {
      const pid = Number(p);
      if (!Number.isInteger(pid) || pid === process.pid) return false;
      const info = procInfo(pid);
      if (!info || info.state === 'Z' || info.state === 'X') return false;
      return isShimOf(info.argv, dir) || groups.includes(info.pgrp);
    });
    if (!left) return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** The launcher process (berth-shim before it detaches), which we reap. */
interface Launcher {
  pid: number;
  /** set once it has exited (it may not be reaped yet: its pid is not reused before) */
  exited: boolean;
  /** settles when it has exited and been reaped */
  reaped: Promise<void>;
}

/**
 * Starts berth-shim with posix_spawn-like clone(CLONE_VM | CLONE_VFORK) + execve (spawnProcess):
 * child_process.spawn forks the whole daemon, which costs milliseconds of blocked event loop per
 * container start. Its stdout is a pipe whose read end is returned; stdin and stderr are /dev/null;
 * it leads a new session (as `detached` did), so a timed-out launch can kill its process group.
 */
function startLauncher(bin: string, args: string[]): { launcher: Launcher; stdout: Socket } {
  const [readEnd, writeEnd] = pipe();
  let spawned: { pid: number; pidfd: number };
  try {
    spawned = spawnProcess(bin, [bin, ...args], { fds: [null, writeEnd, null], setsid: true });
  } catch (e) {
    closeSync(readEnd);
    const name = isSyscallError(e) ? e.code : undefined;
    throw new ShimError('ELAUNCH', `cannot run ${bin}: ${(e as Error).message}`, name);
  } finally {
    closeSync(writeEnd);
  }
  const { pid, pidfd } = spawned;
  const launcher: Launcher = { pid, exited: false, reaped: Promise.resolve() };
  // a pidfd turns readable when the process exits; nothing else reaps it (libuv waits only for its own)
  launcher.reaped = waitReadable(pidfd).then(
    () => {
      launcher.exited = true;
      try {
        waitpid(pid, constants.WNOHANG);
      } catch {
        // reaped already: nothing to do
      }
      closeSync(pidfd);
    },
    () => closeSync(pidfd),
  );
  return { launcher, stdout: new Socket({ fd: readEnd, readable: true, writable: false }) };
}

/**
 * Ends a launch that did not answer in time, and what it started: the launcher process with its
 * process group (which we created: setsid), then, once the launcher is dead (so it forks no
 * more), the detached shim of `dir`, found by its argv (it may not have written its pid file yet).
 * The shim leads its own process group after setsid, which also holds what it runs before its
 * report (a hook, the init being set up): that group is killed. Its socket and pid file go.
 */
async function killLaunch(launcher: Launcher, dir: string, shimPid?: number): Promise<void> {
  if (!launcher.exited) {
    try {
      process.kill(-launcher.pid, 'SIGKILL');
    } catch {
      killPid(launcher.pid);
    }
  }
  await launcher.reaped;
  const killed: number[] = [];
  if (shimPid) killed.push(killShim(shimPid, dir) ?? 0);
  else
    for (const p of readdirSync('/proc')) {
      const pid = Number(p);
      if (Number.isInteger(pid) && pid > 1 && pid !== process.pid) killed.push(killShim(pid, dir) ?? 0);
    }
  await waitKilled(
    dir,
    killed.filter((g) => g > 0),
  );
  rmSync(join(dir, SHIM_SOCKET), { force: true });
  rmSync(join(dir, SHIM_PID_FILE), { force: true });
}

function timeoutError(bin: string, dir: string, ms: number, what: string): ShimError {
  return new ShimError('ETIMEOUT', `shim ${bin} for ${dir} did not ${what} within ${ms} ms; it was killed`);
}

/**
 * Reads the first line the shim prints, then lets go of it (it keeps running on its own). Past
 * `timeoutMs` the shim and what it started are killed and the promise rejects.
 */
function readReport(
  bin: string,
  args: string[],
  dir: string,
  timeoutMs: number,
): Promise<{ line: string; launcher: Launcher }> {
  return new Promise((resolve, reject) => {
    const { launcher, stdout } = startLauncher(bin, args);
    let out = '';
    let done = false;
    const finish = (err: Error | null, line?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stdout.destroy();
      if (err) reject(err);
      else resolve({ line: line!, launcher });
    };
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      stdout.destroy();
      killLaunch(launcher, dir).then(
        () => reject(timeoutError(bin, dir, timeoutMs, 'report')),
        (e: Error) => reject(timeoutError(bin, dir, timeoutMs, `report (killing it: ${e.message})`)),
      );
    }, timeoutMs);
    stdout.on('error', (e) => finish(new ShimError('ELAUNCH', `reading berth-shim's report: ${e.message}`)));
    stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl >= 0) finish(null, out.slice(0, nl));
    });
    stdout.on('end', () =>
      finish(new ShimError('ELAUNCH', `berth-shim ended without a report${out ? `: ${out}` : ''}`)),
    );
  });
}

/** Connects to the shim that has just reported, within what is left of the launch's time. */
async function connectWithin(
  dir: string,
  ms: number,
  onTimeout: () => Promise<void>,
  timeout: () => ShimError,
): Promise<ShimClient> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const connecting = ShimClient.connect(dir);
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        timedOut = true;
        onTimeout().then(
          () => reject(timeout()),
          () => reject(timeout()),
        );
      },
      Math.max(ms, 1),
    );
  });
  try {
    return await Promise.race([connecting, expired]);
  } finally {
    clearTimeout(timer);
    if (timedOut)
      connecting.then(
        (c) => c.close(),
        () => {},
      );
  }
}

export async function launchShim(options: LaunchOptions): Promise<ShimClient> {
  const parsed = LaunchOptions.safeParse(options);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ShimError('EINVALID', `launchShim: ${i?.path.join('.')}: ${i?.message}`);
  }
  const o = parsed.data;
  if (!o.plan === !o.runtime) throw new ShimError('EINVALID', 'launchShim: give either plan or runtime');
  if (join(o.dir, SHIM_SOCKET).length > MAX_SOCKET_PATH)
    throw new ShimError('EINVALID', `launchShim: dir ${o.dir} is too long for a unix socket path`);
  const bin = o.binary ?? shimBinaryPath();
  const timeoutMs = o.timeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  const started = Date.now();
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const planPath = o.plan ? join(o.dir, 'init.plan') : undefined;
  if (planPath) writeFileSync(planPath, o.plan!, { mode: 0o600 });
  let line: string;
  let launcher: Launcher;
  try {
    ({ line, launcher } = await readReport(bin, shimArgs(o, planPath), o.dir, timeoutMs));
  } finally {
    // read before the shim forks: not needed any more
    if (planPath) rmSync(planPath, { force: true });
  }
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new ShimError('EPROTOCOL', `berth-shim reported ${JSON.stringify(line)}`);
  }
  const r = Report.safeParse(json);
  if (!r.success) throw new ShimError('EPROTOCOL', `berth-shim reported ${JSON.stringify(line)}`);
  const report = r.data;
  if (!report.ok) {
    if (report.kind === 'hook') throw new ShimError('EHOOK', report.message);
    if (report.step > 0)
      throw new ContainerInitError(
        (INIT_STEPS[report.step] ?? 'unknown') as InitStep,
        report.errno,
        report.message || undefined,
      );
    const name = report.errno ? errnoName(report.errno) : undefined;
    throw new ShimError('ELAUNCH', `berth-shim: ${report.message}${name ? ` (${name})` : ''}`, name);
  }
  const client = await connectWithin(
    o.dir,
    timeoutMs - (Date.now() - started),
    () => killLaunch(launcher, o.dir, report.shimPid),
    () => timeoutError(bin, o.dir, timeoutMs, 'answer on its socket'),
  );
  if (client.pid !== report.pid) {
    client.close();
    throw new ShimError('EPROTOCOL', `berth-shim reported init ${report.pid} but serves ${client.pid}`);
  }
  return client;
}

/** Reconnects to the shim serving `dir` (after a supervisor restart). */
export function connectShim(dir: string): Promise<ShimClient> {
  return ShimClient.connect(dir);
}
