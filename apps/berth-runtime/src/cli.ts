// berth-runtime: runc's command line over @berth/runtime. This file only parses flags; each
// command is its own module, imported when it runs, so startup loads only what it needs.
import { cac } from 'cac';
import { z } from 'zod';
import { ExitCode, type Globals, makeGlobals } from './globals.js';

type Action = (g: Globals) => Promise<void>;

/** Options of `exec` that take a value: everything after the id and the first word is the command. */
const EXEC_VALUE_FLAGS = new Set([
  '--console-socket',
  '--cwd',
  '--env',
  '-e',
  '--user',
  '-u',
  '--additional-gids',
  '-g',
  '--process',
  '-p',
  '--pid-file',
  '--process-label',
  '--apparmor',
  '--cap',
  '-c',
  '--preserve-fds',
  '--root',
  '--log',
  '--log-format',
]);

/** runc (urfave/cli) stops at the first word after `exec <id>`; mri does not, so mark it with `--`. */
function splitExec(argv: string[]): string[] {
  const i = argv.indexOf('exec');
  if (i < 0 || argv.includes('--')) return argv;
  let positional = 0;
  for (let k = i + 1; k < argv.length; k++) {
    const a = argv[k]!;
    if (a.startsWith('-')) {
      if (EXEC_VALUE_FLAGS.has(a)) k++;
      continue;
    }
    if (++positional === 2) return [...argv.slice(0, k), '--', ...argv.slice(k)];
  }
  return argv;
}

// A command parses a few objects once: zod's JIT (new Function per schema) costs more than it saves.
z.config({ jitless: true });

async function main(argv: string[]): Promise<number> {
  if (argv[2] === '__hold') return (await import('./commands/hold.js')).default(argv[3]!);
  const cli = cac('berth-runtime');
  let action: Action | undefined;
  const on = (fn: Action) => {
    action = fn;
  };
  cli
    .option('--root <dir>', 'state root', { default: '/run/berth-runtime' })
    .option('--log <file>', 'log file (errors and warnings)')
    .option('--log-format <format>', 'json or text', { default: 'text' })
    .option('--debug', 'debug logging')
    .option('--systemd-cgroup', 'accepted for runc compatibility (cgroupfs is used)')
    .option('--rootless <value>', 'accepted for runc compatibility');

  const createFlags = (c: ReturnType<typeof cli.command>) =>
    c
      .option('-b, --bundle <dir>', 'bundle directory')
      .option('--console-socket <path>', 'unix socket that receives the pty master')
      .option('--pid-file <path>', 'write the init pid here')
      .option('--no-pivot', 'do not use pivot_root (rootfs on a ramdisk)')
      .option('--no-new-keyring', 'accepted for runc compatibility')
      .option('--preserve-fds <n>', 'pass this many extra fds (from 3)');

  createFlags(cli.command('create <id>', 'create a container')).action((id: string, f) =>
    on(async (g) => (await import('./commands/create.js')).default(g, id, f)),
  );
  createFlags(cli.command('run <id>', 'create and start a container, wait for it'))
    .option('-d, --detach', 'return after start')
    .option('--keep', 'do not delete the container after it exits')
    .action((id: string, f) => on(async (g) => (await import('./commands/run.js')).default(g, id, f)));
  cli
    .command('start <id>', 'start a created container')
    .action((id: string) => on(async (g) => (await import('./commands/start.js')).default(g, id)));
  cli
    .command('state <id>', 'print the state of a container')
    .action((id: string) => on(async (g) => (await import('./commands/state.js')).default(g, id)));
  cli
    .command('kill <id> [signal]', 'send a signal (default SIGTERM)')
    .option('-a, --all', 'to every process of the container')
    .action((id: string, signal: unknown, f) =>
      on(async (g) => (await import('./commands/kill.js')).default(g, id, signal, f)),
    );
  cli
    .command('delete <id>', 'delete a container')
    .option('-f, --force', 'kill it first if it runs')
    .action((id: string, f) => on(async (g) => (await import('./commands/delete.js')).default(g, id, f)));
  cli
    .command('list', 'list containers')
    .option('-f, --format <format>', 'table or json', { default: 'table' })
    .option('-q, --quiet', 'ids only')
    .action((f) => on(async (g) => (await import('./commands/list.js')).default(g, f)));
  cli
    .command('ps <id> [...psArgs]', 'processes of a container')
    .option('-f, --format <format>', 'table or json', { default: 'table' })
    .action((id: string, _a: unknown, f) =>
      on(async (g) => (await import('./commands/ps.js')).default(g, id, f)),
    );
  cli
    .command('exec <id> [...command]', 'run a process in a container')
    .option('--console-socket <path>', 'unix socket that receives the pty master')
    .option('--cwd <dir>', 'working directory')
    .option('-e, --env <var>', 'environment variable (repeatable)')
    .option('-t, --tty', 'allocate a pty')
    .option('-u, --user <uid[:gid]>', 'user')
    .option('-g, --additional-gids <gid>', 'additional group (repeatable)')
    .option('-p, --process <file>', 'process.json')
    .option('-d, --detach', 'do not wait for the process')
    .option('--pid-file <path>', 'write the pid here')
    .option('--process-label <label>', 'SELinux label')
    .option('--apparmor <profile>', 'AppArmor profile')
    .option('--no-new-privs', 'set no_new_privs')
    .option('-c, --cap <cap>', 'add a capability (repeatable)')
    .option('--preserve-fds <n>', 'pass this many extra fds (from 3)')
    .option('--ignore-paused', 'accepted for runc compatibility')
    .action((id: string, command: string[], f) =>
      on(async (g) =>
        (await import('./commands/exec.js')).default(
          g,
          id,
          [...command, ...((f['--'] as string[]) ?? [])],
          f,
        ),
      ),
    );
  cli
    .command('pause <id>', 'freeze a container')
    .action((id: string) => on(async (g) => (await import('./commands/pause.js')).pause(g, id)));
  cli
    .command('resume <id>', 'thaw a container')
    .action((id: string) => on(async (g) => (await import('./commands/pause.js')).resume(g, id)));
  cli
    .command('update <id>', 'change resources')
    .option('-r, --resources <file>', 'linux.resources JSON (- for stdin)')
    .option('--memory <bytes>', 'memory limit')
    .option('--memory-swap <bytes>', 'memory+swap limit')
    .option('--memory-reservation <bytes>', 'memory soft limit')
    .option('--cpu-shares <n>', 'cpu shares')
    .option('--cpu-quota <us>', 'cpu CFS quota')
    .option('--cpu-period <us>', 'cpu CFS period')
    .option('--cpuset-cpus <list>', 'cpus')
    .option('--cpuset-mems <list>', 'memory nodes')
    .option('--pids-limit <n>', 'pids limit')
    .option('--blkio-weight <n>', 'block IO weight')
    .action((id: string, f) => on(async (g) => (await import('./commands/update.js')).default(g, id, f)));
  cli
    .command('events <id>', 'stats and OOM events')
    .option('--stats', 'print stats once')
    .option('--interval <duration>', 'stats interval (5s)')
    .action((id: string, f) => on(async (g) => (await import('./commands/events.js')).default(g, id, f)));
  cli
    .command('features', 'what this runtime supports (JSON)')
    .action(() => on(async (g) => (await import('./commands/features.js')).default(g)));
  cli
    .command('spec', 'write a default config.json')
    .option('-b, --bundle <dir>', 'bundle directory')
    .option('--rootless', 'a spec for a rootless container')
    .action((f) => on(async (g) => (await import('./commands/spec.js')).default(g, f)));
  cli.help();
  cli.version('0.0.0');

  let globals: Globals | undefined;
  try {
    const parsed = cli.parse(splitExec(argv), { run: false });
    globals = makeGlobals(parsed.options);
    if (!cli.matchedCommand) {
      if (parsed.options.help || parsed.options.version) return 0;
      globals.logger.error(
        parsed.args.length
          ? `unknown command ${JSON.stringify(parsed.args[0])}`
          : 'a command is required; see --help',
      );
      return 1;
    }
    await cli.runMatchedCommand();
    if (action) await action(globals);
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    const msg = e instanceof Error ? e.message : String(e);
    (globals ?? makeGlobals({})).logger.error(msg);
    if (globals?.flags.debug && e instanceof Error && e.stack) globals.logger.debug(e.stack);
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // a created holder or pending poll must not keep a finished command alive
    if (process.argv[2] !== '__hold') setImmediate(() => process.exit(code));
    else process.exit(code);
  },
  (e) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  },
);
