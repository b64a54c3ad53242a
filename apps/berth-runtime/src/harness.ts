// A runc-compatible command line harness for tests: the same scenario runs against berth-runtime
// and Debian's runc, which proves the test's expectations are runc's. Each call gets files for
// stdio (a created container keeps the caller's stdio, so pipes would never reach EOF) and the
// result is read once the command exits.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OciCli {
  name: string;
  /** argv prefix: the program and its first arguments */
  argv: string[];
  available: boolean;
}

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

export const berthRuntime: OciCli = {
  name: 'berth-runtime',
  argv: [process.execPath, MAIN],
  available: existsSync(MAIN),
};
export const runc: OciCli = {
  name: 'runc',
  argv: ['runc'],
  available: existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc'),
};

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Shell-quotes one word. */
const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

export interface InvokeOptions {
  cwd?: string;
  /** run under `script -qec` so the command has a controlling terminal (this machine has none) */
  tty?: boolean;
}

export async function invoke(
  cli: OciCli,
  root: string,
  args: string[],
  opts: InvokeOptions = {},
): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-io-'));
  const out = openSync(join(dir, 'out'), 'w');
  const err = openSync(join(dir, 'err'), 'w');
  try {
    const full = [...cli.argv, '--root', root, ...args];
    const [cmd, ...rest] = opts.tty ? ['script', '-qec', full.map(q).join(' '), '/dev/null'] : full;
    const child = spawn(cmd!, rest, {
      stdio: ['ignore', out, err],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    return {
      code,
      stdout: readFileSync(join(dir, 'out'), 'utf8'),
      stderr: readFileSync(join(dir, 'err'), 'utf8'),
    };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}
