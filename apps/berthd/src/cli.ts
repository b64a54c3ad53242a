// berthd's command line: dockerd's flags.
import { cac } from 'cac';
import { type FlagValues, resolveConfig } from './config.js';

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String).filter((s) => s !== '');

export function parseArgs(argv: string[]): { flags: FlagValues; help: boolean; version: boolean } {
  const cli = cac('berthd');
  cli
    .option(
      '-H, --host <address>',
      'Daemon socket(s) to listen on: unix:///path or tcp://host:port (repeatable)',
    )
    .option('--data-root <dir>', 'Root directory of persistent state (default /var/lib/berth)')
    .option('--exec-root <dir>', 'Root directory of execution state: sockets, pid file (default /run/berth)')
    .option('-p, --pidfile <path>', 'Path of the daemon pid file (default <exec-root>/berthd.pid)')
    .option('--config-file <path>', 'Daemon configuration file (default /etc/berth/daemon.json)')
    .option('-l, --log-level <level>', 'debug, info, warn, error or fatal (default info)')
    .option('-D, --debug', 'Debug logging')
    .option('--registry-mirror <url>', 'Preferred registry mirror (repeatable)')
    .option('--insecure-registry <host>', 'Registry reached over plain HTTP or unverified TLS (repeatable)')
    .option('-G, --group <group>', 'Group owning the unix socket(s)')
    .option('--cgroup-parent <path>', 'Parent cgroup of containers (default /berth)')
    .option(
      '-b, --bridge <name>',
      'Host interface of the default bridge network (default berth0); "none" disables networking',
    )
    .option('--bip <cidr>', 'Address and prefix of the default bridge (e.g. 172.30.0.1/16)')
    .option('--tlsverify', 'Serve tcp:// with TLS and require client certificates signed by --tlscacert')
    .option('--tlscacert <path>', 'CA that signs client certificates')
    .option('--tlscert <path>', 'Server certificate')
    .option('--tlskey <path>', 'Server key')
    .option(
      '--supervisor-backend <kind>',
      'What holds containers: shim (default) or in-process (@berth/supervisor)',
    )
    .help()
    .version('0.1.0');
  // cac reads --no-x as a negation of x: check long flags by their real names first
  const longNames = new Set(
    cli.globalCommand.options.flatMap((o) =>
      o.names.map((n) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
    ),
  );
  for (const a of argv) {
    if (a === '--') break;
    const m = /^--([^=]+)/.exec(a);
    if (m && !longNames.has(m[1]!)) throw new Error(`unknown flag: --${m[1]}`);
  }
  const parsed = cli.parse(['node', 'berthd', ...argv], { run: false });
  const o = parsed.options as Record<string, unknown>;
  if (parsed.args.length > 0) throw new Error(`berthd takes no arguments (got ${parsed.args.join(' ')})`);
  const known = new Set([
    '--',
    'host',
    'H',
    'dataRoot',
    'execRoot',
    'pidfile',
    'p',
    'configFile',
    'logLevel',
    'l',
    'debug',
    'D',
    'registryMirror',
    'insecureRegistry',
    'group',
    'G',
    'cgroupParent',
    'bridge',
    'b',
    'supervisorBackend',
    'bip',
    'tlsverify',
    'tlscacert',
    'tlscert',
    'tlskey',
    'help',
    'h',
    'version',
    'v',
  ]);
  for (const k of Object.keys(o))
    if (!known.has(k))
      throw new Error(`unknown flag: --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  const str = (v: unknown) => (v === undefined ? undefined : String(v));
  const flags: FlagValues = {};
  const set = <K extends keyof FlagValues>(k: K, v: FlagValues[K] | undefined) => {
    if (v !== undefined) flags[k] = v;
  };
  set('host', list(o.host));
  set('dataRoot', str(o.dataRoot));
  set('execRoot', str(o.execRoot));
  set('pidfile', str(o.pidfile));
  set('configFile', str(o.configFile));
  set('logLevel', str(o.logLevel));
  if (o.debug) flags.debug = true;
  set('registryMirror', list(o.registryMirror));
  set('insecureRegistry', list(o.insecureRegistry));
  set('group', str(o.group));
  set('cgroupParent', str(o.cgroupParent));
  set('bridge', str(o.bridge));
  set('bip', str(o.bip));
  if (o.tlsverify) flags.tlsverify = true;
  set('tlscacert', str(o.tlscacert));
  set('tlscert', str(o.tlscert));
  set('tlskey', str(o.tlskey));
  set('supervisorBackend', str(o.supervisorBackend));
  return { flags, help: !!o.help, version: !!o.version };
}

export { resolveConfig };
