// exec: a new process in a running container (from --process or the command line and flags).
import { readFileSync } from 'node:fs';
import type { Process } from '@berth/runtime';
import type { Globals } from '../globals.js';
import { ExitCode, num, str } from '../globals.js';

export interface ExecFlags {
  consoleSocket?: unknown;
  cwd?: unknown;
  env?: unknown;
  tty?: unknown;
  user?: unknown;
  additionalGids?: unknown;
  process?: unknown;
  detach?: unknown;
  pidFile?: unknown;
  noNewPrivs?: unknown;
  cap?: unknown;
  preserveFds?: unknown;
}

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

export default async function exec(
  g: Globals,
  id: string,
  command: string[],
  flags: ExecFlags,
): Promise<void> {
  const rt = await g.runtime();
  const file = str(flags.process);
  let proc: Partial<Process> & { args: string[] };
  if (file) {
    proc = JSON.parse(readFileSync(file, 'utf8')) as Process;
  } else {
    if (command.length === 0) {
      g.logger.error('exec: a command is required (or --process)');
      throw new ExitCode(1);
    }
    const base = rt.config(id).process;
    proc = { args: command, terminal: flags.tty === true };
    const cwd = str(flags.cwd);
    if (cwd) proc.cwd = cwd;
    const env = list(flags.env);
    const user = str(flags.user);
    if (user) {
      const [uid, gid] = user.split(':').map(Number);
      proc.user = { uid: uid ?? 0, gid: gid ?? 0, additionalGids: list(flags.additionalGids).map(Number) };
    }
    if (flags.noNewPrivs === true) proc.noNewPrivileges = true;
    // as runc: --env adds to (or overrides) the container's environment
    if (env.length > 0) proc.env = [...(base?.env ?? []), ...env];
    const caps = list(flags.cap);
    if (caps.length > 0) {
      const c = base?.capabilities ?? {};
      const add = (set: string[] | undefined) => [...new Set([...(set ?? []), ...caps])];
      proc.capabilities = {
        bounding: add(c.bounding),
        effective: add(c.effective),
        permitted: add(c.permitted),
        inheritable: add(c.inheritable),
        ambient: add(c.ambient),
      };
    }
  }
  const consoleSocket = str(flags.consoleSocket);
  const pidFile = str(flags.pidFile);
  const preserveFds = num(flags.preserveFds);
  // --tty without --console-socket: this process is the console (as runc)
  const tty =
    proc.terminal === true && !consoleSocket && flags.detach !== true
      ? (await import('../console.js')).localConsole()
      : undefined;
  const started = rt.exec(id, {
    process: proc,
    ...(tty ? { consoleSocketFd: tty.socketFd } : {}),
    ...(consoleSocket ? { consoleSocket } : {}),
    ...(pidFile ? { pidFile } : {}),
    ...(preserveFds ? { preserveFds } : {}),
  });
  // the pty master arrives during exec's setup, before its start; a failed exec rejects at once
  const [child] = await Promise.all([started, tty?.attach()]);
  if (flags.detach === true) return;
  const st = await child.wait();
  await tty?.close();
  const code = st.exitCode ?? 128 + (st.signal ?? 0);
  if (code !== 0) throw new ExitCode(code);
}
