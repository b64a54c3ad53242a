// launchShim: writes the init plan into the shim's directory, starts berth-shim (which detaches
// itself: fork + setsid) and reads its one-line JSON report from its stdout; resolves with a
// connected client once the container is "created".
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ContainerInitError, errnoName, INIT_STEPS, type InitStep } from '@berth/native';
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
});
export type LaunchOptions = z.infer<typeof LaunchOptions>;

const Report = z.union([
  z.object({ ok: z.literal(true), pid: z.number().int().positive(), shimPid: z.number().int().positive() }),
  z.object({
    ok: z.literal(false),
    errno: z.number().int(),
    step: z.number().int().min(0),
    message: z.string(),
  }),
]);

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

/** Reads the first line the shim prints, then lets go of it (it keeps running on its own). */
function readReport(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    let done = false;
    const finish = (err: Error | null, line?: string) => {
      if (done) return;
      done = true;
      child.stdout.destroy();
      child.unref();
      if (err) reject(err);
      else resolve(line!);
    };
    child.on('error', (e) => finish(new ShimError('ELAUNCH', `cannot run ${bin}: ${e.message}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl >= 0) finish(null, out.slice(0, nl));
    });
    child.stdout.on('end', () =>
      finish(new ShimError('ELAUNCH', `berth-shim ended without a report${out ? `: ${out}` : ''}`)),
    );
  });
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
  const bin = shimBinaryPath();
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const planPath = o.plan ? join(o.dir, 'init.plan') : undefined;
  if (planPath) writeFileSync(planPath, o.plan!, { mode: 0o600 });
  let line: string;
  try {
    line = await readReport(bin, shimArgs(o, planPath));
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
    if (report.step > 0)
      throw new ContainerInitError(
        (INIT_STEPS[report.step] ?? 'unknown') as InitStep,
        report.errno,
        report.message || undefined,
      );
    const name = report.errno ? errnoName(report.errno) : undefined;
    throw new ShimError('ELAUNCH', `berth-shim: ${report.message}${name ? ` (${name})` : ''}`, name);
  }
  const client = await ShimClient.connect(o.dir);
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
