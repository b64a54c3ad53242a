// Running one plugin binary the way the CNI spec says: the command and container facts in
// CNI_* environment variables, the plugin's network config on stdin, a result or an error
// object on stdout, exit status 0 for success.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { CNI_RUNNER_ERROR, CniError } from '../errors.js';
import { CniErrorOutput } from './types.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

export interface CniExecArgs {
  command: CniCommand;
  containerId?: string;
  netns?: string;
  ifName?: string;
  /** CNI_ARGS key=value pairs */
  args?: ReadonlyArray<readonly [string, string]>;
}

/** Finds `type` in the plugin directories (CNI_PATH order). */
export function findPlugin(type: string, binDirs: readonly string[], command: string): string {
  for (const dir of binDirs) {
    const path = join(dir, type);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  throw new CniError(type, command, CNI_RUNNER_ERROR, `plugin binary not found in ${binDirs.join(':')}`);
}

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** A plugin gets no more than this long; plugins that wait on iptables' lock can take seconds. */
const PLUGIN_TIMEOUT_MS = 60_000;

/** Runs the plugin and returns its parsed stdout (undefined for an empty stdout, as DEL prints). */
export async function execPlugin(
  type: string,
  binDirs: readonly string[],
  stdin: unknown,
  a: CniExecArgs,
): Promise<unknown> {
  const path = findPlugin(type, binDirs, a.command);
  const env: NodeJS.ProcessEnv = {
    // plugins run iptables, sysctl and modprobe themselves: the sbin directories must be there
    PATH: [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), ...SYSTEM_PATH])].join(':'),
    CNI_COMMAND: a.command,
    CNI_PATH: binDirs.join(':'),
  };
  if (a.command !== 'VERSION') {
    env.CNI_CONTAINERID = a.containerId ?? '';
    env.CNI_NETNS = a.netns ?? '';
    env.CNI_IFNAME = a.ifName ?? '';
    env.CNI_ARGS = (a.args ?? []).map(([k, v]) => `${k}=${v}`).join(';');
  }
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(path, [], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: PLUGIN_TIMEOUT_MS });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (c, signal) =>
        resolve({
          code: signal ? -1 : c,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => {}); // a plugin may exit before reading stdin; its status says why
      child.stdin.end(JSON.stringify(stdin));
    },
  ).catch((e: Error) => {
    throw new CniError(type, a.command, CNI_RUNNER_ERROR, `cannot run ${path}: ${e.message}`);
  });
  let parsed: unknown;
  const text = stdout.trim();
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      if (code === 0)
        throw new CniError(
          type,
          a.command,
          CNI_RUNNER_ERROR,
          `printed output that is not JSON: ${clip(text)}`,
        );
    }
  }
  if (code !== 0) {
    const e = CniErrorOutput.safeParse(parsed);
    if (e.success) throw new CniError(type, a.command, e.data.code, e.data.msg, e.data.details);
    const why = code === -1 ? 'was killed (timeout or signal)' : `exited with status ${code}`;
    throw new CniError(type, a.command, CNI_RUNNER_ERROR, `${why}: ${clip(stderr.trim() || text)}`);
  }
  return parsed;
}

function clip(s: string): string {
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}
