// Connecting to the daemon, and starting berthd in the background when nothing answers on the
// default socket and we are root (the daemon would need root anyway).
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonUnreachableError, DockerClient, isUnreachable, type TlsOptions } from '@berth/api';
import { z } from 'zod';
import { CliError } from './errors.js';

// A command parses a few answers once: zod's JIT (a new Function per object schema) costs more than it saves.
z.config({ jitless: true });

export interface ConnectOptions {
  host: string;
  isDefault: boolean;
  env: NodeJS.ProcessEnv;
  autostart: boolean;
  tls: boolean;
  tlsVerify: boolean;
  tlsFiles: { ca?: string; cert?: string; key?: string };
}

const DEFAULT_EXEC_ROOT = '/run/berth';
const START_TIMEOUT_MS = 20_000;

function tlsOptions(o: ConnectOptions): TlsOptions | undefined {
  if (!o.tls) return undefined;
  const certDir = o.env.DOCKER_CERT_PATH ?? o.env.BERTH_CERT_PATH;
  const file = (given: string | undefined, name: string) => {
    const p = given ?? (certDir ? join(certDir, name) : undefined);
    return p && existsSync(p) ? readFileSync(p) : undefined;
  };
  return {
    ca: file(o.tlsFiles.ca, 'ca.pem'),
    cert: file(o.tlsFiles.cert, 'cert.pem'),
    key: file(o.tlsFiles.key, 'key.pem'),
    verify: o.tlsVerify,
  };
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where berthd is: $BERTHD_PATH, then apps/berthd's bundle next to this CLI in the workspace
 * (or installed as @berth/berthd beside it), then `berthd` on PATH.
 */
export function findBerthd(env: NodeJS.ProcessEnv): { command: string; args: string[] } | undefined {
  if (env.BERTHD_PATH) return { command: env.BERTHD_PATH, args: [] };
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const cand of [
      join(dir, 'apps', 'berthd', 'dist', 'main.js'),
      join(dir, 'berthd', 'dist', 'main.js'),
      join(dir, 'node_modules', '@berth', 'berthd', 'dist', 'main.js'),
    ]) {
      if (existsSync(cand)) return { command: process.execPath, args: [cand] };
    }
    dir = dirname(dir);
  }
  for (const p of (env.PATH ?? '').split(delimiter)) {
    if (p && isExecutable(join(p, 'berthd'))) return { command: join(p, 'berthd'), args: [] };
  }
  return undefined;
}

async function pingable(client: DockerClient): Promise<boolean> {
  try {
    await client.ping(AbortSignal.timeout(2000));
    return true;
  } catch (err) {
    if (isUnreachable(err) || err instanceof DaemonUnreachableError) return false;
    throw err;
  }
}

/** Starts berthd detached, its output to <exec-root>/berthd.log, and waits until it answers /_ping. */
async function startDaemon(client: DockerClient, env: NodeJS.ProcessEnv): Promise<void> {
  const bin = findBerthd(env);
  if (!bin) throw new DaemonUnreachableError(client.hostUrl, 'ENOENT');
  const execRoot = env.BERTH_EXEC_ROOT ?? DEFAULT_EXEC_ROOT;
  mkdirSync(execRoot, { recursive: true, mode: 0o711 });
  const logPath = join(execRoot, 'berthd.log');
  const log = openSync(logPath, 'a', 0o600);
  // loaded only here: child_process costs every command ~10 ms at startup
  const { spawn } = await import('node:child_process');
  const child = spawn(bin.command, bin.args, { detached: true, stdio: ['ignore', log, log], env });
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await pingable(client)) return;
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new CliError(
    `berthd did not start${exited !== null ? ` (it exited with status ${exited})` : ''}; see ${logPath}`,
    1,
    'DAEMON_START',
  );
}

/** A client for the host; the daemon is started first when allowed and needed. */
export async function connect(o: ConnectOptions): Promise<DockerClient> {
  const client = new DockerClient({ host: o.host, tls: tlsOptions(o) });
  const mayStart = o.autostart && o.isDefault && process.getuid?.() === 0 && o.env.BERTH_NO_AUTOSTART !== '1';
  if (!mayStart) return client;
  if (!(await pingable(client))) await startDaemon(client, o.env);
  return client;
}
