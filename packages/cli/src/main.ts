// The command line's entry: global flags, the command, its flags, then the command's module.
import { type Context, type Io, println } from './context.js';
import { CliError, UsageError } from './errors.js';
import { Flags, parseFlags } from './flags.js';
import { commandHelp, mainHelp } from './help.js';
import { COMMANDS, type CommandSpec, findCommand, GLOBAL_FLAGS, MANAGEMENT_ALIASES } from './registry.js';

export interface RunOptions {
  io?: Io;
  env?: NodeJS.ProcessEnv;
  prog?: string;
  signals?: NodeJS.EventEmitter;
  /** Start berthd when nothing answers on the default socket (root only); default true. */
  autostart?: boolean;
}

const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

/** The daemon address: -H, then BERTH_HOST, then DOCKER_HOST, then berth's default socket. */
export function resolveHost(hFlags: string[], env: NodeJS.ProcessEnv): { host: string; isDefault: boolean } {
  if (hFlags.length > 1) throw new CliError('Please specify only one -H', 1);
  const h = hFlags[0] ?? env.BERTH_HOST ?? env.DOCKER_HOST;
  if (h) return { host: h, isDefault: h === DEFAULT_HOST };
  return { host: DEFAULT_HOST, isDefault: true };
}

function usageTrailer(prog: string, spec: CommandSpec | undefined, path: string): string {
  return spec
    ? `\nUsage:  ${prog} ${spec.usage}\n\nRun '${prog} ${path} --help' for more information\n`
    : `\nRun '${prog} --help' for more information\n`;
}

/** Runs the CLI with argv (without node and script); resolves with the exit status. */
export async function runCli(argv: string[], opts: RunOptions = {}): Promise<number> {
  const io: Io = opts.io ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const env = opts.env ?? process.env;
  const prog = opts.prog ?? 'berth';
  let spec: CommandSpec | undefined;
  let path = '';
  try {
    const g = parseFlags(argv, GLOBAL_FLAGS, { interspersed: false, command: prog });
    const gf = new Flags(g.flags);
    let rest = g.args;
    if (gf.bool('version') && rest.length === 0) {
      const { versionText } = await import('./version-text.js');
      println(io.stdout, versionText(prog));
      return 0;
    }
    if (rest.length === 0 || (g.help && rest.length === 0)) {
      io.stdout.write(mainHelp(prog, COMMANDS, GLOBAL_FLAGS));
      return 0;
    }
    if (rest[0] === 'help') {
      rest = [...rest.slice(1), '--help'];
      if (rest.length === 1) {
        io.stdout.write(mainHelp(prog, COMMANDS, GLOBAL_FLAGS));
        return 0;
      }
    }
    let name = rest[0]!;
    rest = rest.slice(1);
    const mgmt = MANAGEMENT_ALIASES[name];
    if (mgmt && rest[0] && mgmt[rest[0]]) {
      name = mgmt[rest[0]]!;
      rest = rest.slice(1);
    }
    spec = findCommand(COMMANDS, name);
    path = name;
    if (!spec) {
      io.stderr.write(`${prog}: unknown command: ${prog} ${name}\n${usageTrailer(prog, undefined, '')}`);
      return 1;
    }
    if (spec.sub) {
      const subName = rest[0];
      if (!subName || subName === '--help' || subName === '-h') {
        io.stdout.write(commandHelp(prog, spec));
        return 0;
      }
      const sub = findCommand(spec.sub, subName);
      if (!sub) {
        io.stderr.write(
          `${prog}: unknown command: ${prog} ${name} ${subName}\n\nRun '${prog} ${name} --help' for more information\n`,
        );
        return 1;
      }
      spec = sub;
      path = `${name} ${sub.name}`;
      rest = rest.slice(1);
    }
    const parsed = parseFlags(rest, spec.flags, {
      interspersed: spec.interspersed ?? true,
      command: `${prog} ${path}`,
    });
    if (parsed.help) {
      io.stdout.write(commandHelp(prog, spec, path.includes(' ') ? path.split(' ')[0] : undefined));
      return 0;
    }
    const nargs = parsed.args.length;
    if (spec.minArgs !== undefined && nargs < spec.minArgs) {
      const what = spec.minArgs === 1 ? 'argument' : 'arguments';
      const exactly = spec.maxArgs === spec.minArgs;
      io.stderr.write(
        `${prog}: '${prog} ${path}' requires ${exactly ? 'exactly' : 'at least'} ${spec.minArgs} ${what}\n\nUsage:  ${prog} ${spec.usage}\n\nSee '${prog} ${path} --help' for more information\n`,
      );
      return 1;
    }
    if (spec.maxArgs !== undefined && nargs > spec.maxArgs) {
      const msg =
        spec.maxArgs === 0
          ? `'${prog} ${path}' accepts no arguments`
          : `'${prog} ${path}' requires ${spec.minArgs === spec.maxArgs ? 'exactly' : 'at most'} ${spec.maxArgs} argument${spec.maxArgs === 1 ? '' : 's'}`;
      io.stderr.write(
        `${prog}: ${msg}\n\nUsage:  ${prog} ${spec.usage}\n\nSee '${prog} ${path} --help' for more information\n`,
      );
      return 1;
    }
    const { host, isDefault } = resolveHost(gf.list('host'), env);
    let clientPromise: Promise<import('@berth/api').DockerClient> | undefined;
    const ctx: Context = {
      io,
      env,
      host,
      prog,
      signals: opts.signals ?? process,
      client: () => {
        clientPromise ??= import('./connect.js').then((m) =>
          m.connect({
            host,
            isDefault,
            env,
            autostart: opts.autostart ?? true,
            tls: gf.bool('tls') || gf.bool('tlsverify') || env.DOCKER_TLS_VERIFY === '1',
            tlsVerify: gf.bool('tlsverify') || env.DOCKER_TLS_VERIFY === '1',
            tlsFiles: { ca: gf.str('tlscacert'), cert: gf.str('tlscert'), key: gf.str('tlskey') },
          }),
        );
        return clientPromise;
      },
    };
    const mod = await spec.load!();
    try {
      return (await mod.default(ctx, parsed.args, new Flags(parsed.flags))) ?? 0;
    } finally {
      if (clientPromise)
        clientPromise.then(
          (c) => c.close(),
          () => undefined,
        );
    }
  } catch (err) {
    return reportError(err, io, prog, spec, path);
  }
}

function reportError(
  err: unknown,
  io: Io,
  prog: string,
  spec: CommandSpec | undefined,
  path: string,
): number {
  if (err instanceof UsageError) {
    io.stderr.write(`${err.message}\n${usageTrailer(prog, spec, path)}`);
    return err.exitCode;
  }
  const e = err as { name?: string; message?: string; statusCode?: number; exitCode?: number };
  const isRun = path === 'run' || path === 'create';
  if (e?.name === 'DockerApiError') {
    io.stderr.write(`${isRun ? `${prog}: ` : ''}Error response from daemon: ${e.message}\n`);
    if (isRun) io.stderr.write(`\nRun '${prog} ${path} --help' for more information\n`);
    return isRun ? 125 : 1;
  }
  if (err instanceof CliError) {
    // run's own failures (125, and 126/127 when the command cannot run) carry docker's prefix and hint
    const runFailure = isRun && err.exitCode >= 125 && err.exitCode <= 127;
    io.stderr.write(`${runFailure ? `${prog}: ` : ''}${err.message}\n`);
    if (runFailure && err.code !== 'FLAG_VALUE') {
      io.stderr.write(`\nRun '${prog} ${path} --help' for more information\n`);
    } else if (err.code === 'FLAG_VALUE') io.stderr.write(usageTrailer(prog, spec, path));
    return err.exitCode;
  }
  if (e?.name === 'DaemonUnreachableError' || e?.name === 'InvalidHostError' || e?.name === 'StdcopyError') {
    io.stderr.write(
      isRun
        ? `${prog}: ${e.message}\n\nRun '${prog} ${path} --help' for more information\n`
        : `${e.message}\n`,
    );
    return isRun ? 125 : 1;
  }
  io.stderr.write(`${prog}: ${e?.message ?? String(err)}\n`);
  return isRun ? 125 : 1;
}
