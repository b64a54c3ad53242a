// run: create + start in this process, then (unless --detach) wait, forwarding signals to the
// container, delete it (unless --keep) and exit with its status (128+signal when killed).
import type { Globals } from '../globals.js';
import { ExitCode, num, str } from '../globals.js';

export interface RunFlags {
  bundle?: unknown;
  consoleSocket?: unknown;
  pidFile?: unknown;
  noPivot?: unknown;
  preserveFds?: unknown;
  detach?: unknown;
  keep?: unknown;
}

const FORWARDED: NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

export default async function run(g: Globals, id: string, flags: RunFlags): Promise<void> {
  const rt = await g.runtime();
  const consoleSocket = str(flags.consoleSocket);
  const pidFile = str(flags.pidFile);
  const preserveFds = num(flags.preserveFds);
  const bundle = str(flags.bundle) ?? process.cwd();
  // terminal without --console-socket: this process is the console (runc does the same)
  const wantsTty = !consoleSocket && flags.detach !== true && (await terminalOf(bundle));
  const tty = wantsTty ? (await import('../console.js')).localConsole() : undefined;
  await rt.create(id, {
    ...(tty ? { consoleSocketFd: tty.socketFd } : {}),
    bundle,
    ...(consoleSocket ? { consoleSocket } : {}),
    ...(pidFile ? { pidFile } : {}),
    ...(preserveFds ? { preserveFds } : {}),
    noPivot: flags.noPivot === true,
  });
  try {
    await tty?.attach();
    await rt.start(id);
  } catch (e) {
    await rt.delete(id, { force: true }).catch(() => {});
    throw e;
  }
  if (flags.detach === true) {
    rt.release(id);
    return;
  }
  const proc = rt.process(id)!;
  const forward = (sig: NodeJS.Signals) => {
    try {
      proc.kill(require_signal(sig));
    } catch {}
  };
  for (const s of FORWARDED) process.on(s, forward);
  const status = await rt.wait(id);
  await tty?.close();
  for (const s of FORWARDED) process.off(s, forward);
  if (flags.keep !== true) await rt.delete(id, { force: true });
  const code = status.exitCode ?? 128 + (status.signal ?? 0);
  if (code !== 0) throw new ExitCode(code);
}

function require_signal(sig: NodeJS.Signals): number {
  return (
    {
      SIGHUP: 1,
      SIGINT: 2,
      SIGQUIT: 3,
      SIGUSR1: 10,
      SIGUSR2: 12,
      SIGTERM: 15,
      SIGWINCH: 28,
    } as Record<string, number>
  )[sig]!;
}

async function terminalOf(bundle: string): Promise<boolean> {
  const { loadBundleSpec } = await import('@berth/runtime');
  try {
    return loadBundleSpec(bundle).process?.terminal === true;
  } catch {
    return false; // create reports the problem
  }
}
