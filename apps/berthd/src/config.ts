// dockerd's configuration: command-line flags and /etc/berth/daemon.json (dockerd's daemon.json
// keys). As dockerd does, a setting given both as a flag and in the file is an error, so nobody
// wonders which one won.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const DEFAULT_CONFIG_FILE = '/etc/berth/daemon.json';
export const DEFAULT_DATA_ROOT = '/var/lib/berth';
export const DEFAULT_EXEC_ROOT = '/run/berth';
/**
 * What holds containers: @berth/supervisor with its 'shim' backend (one berth-shim per container:
 * stdio, logs and exit status survive daemon restarts; the default) or its 'in-process' one.
 */
export type SupervisorBackend = 'shim' | 'in-process';
export const DEFAULT_SUPERVISOR_BACKEND: SupervisorBackend = 'shim';

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error', 'fatal']);
export type LogLevel = z.infer<typeof LogLevel>;

/** daemon.json (unknown keys are refused, as dockerd refuses them). */
export const FileConfig = z.strictObject({
  hosts: z.array(z.string()).optional(),
  'data-root': z.string().optional(),
  'exec-root': z.string().optional(),
  pidfile: z.string().optional(),
  'log-level': LogLevel.optional(),
  debug: z.boolean().optional(),
  'registry-mirrors': z.array(z.string()).optional(),
  'insecure-registries': z.array(z.string()).optional(),
  group: z.string().optional(),
  'cgroup-parent': z.string().optional(),
  bridge: z.string().optional(),
  bip: z.string().optional(),
  'live-restore': z.boolean().optional(),
  /** berth's own: what holds containers, a shim per container or the daemon process itself */
  'supervisor-backend': z.enum(['shim', 'in-process']).optional(),
  tlsverify: z.boolean().optional(),
  tlscacert: z.string().optional(),
  tlscert: z.string().optional(),
  tlskey: z.string().optional(),
});
export type FileConfig = z.infer<typeof FileConfig>;

export interface DaemonConfig {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  logLevel: LogLevel;
  registryMirrors: string[];
  insecureRegistries: string[];
  /** group that owns the unix socket (default: root only) */
  group?: string;
  cgroupParent: string;
  /** the default bridge's host interface (default berth0); "none" disables container networking */
  bridge: string;
  /** the default bridge's address and prefix (dockerd's --bip), e.g. 172.30.0.1/16 */
  bip?: string;
  supervisorBackend: SupervisorBackend;
  /** mutual TLS for tcp:// listeners (dockerd's --tlsverify with --tlscacert/--tlscert/--tlskey) */
  tls?: { ca: string; cert: string; key: string };
}

export class ConfigError extends Error {
  readonly code = 'ECONFIG';
}

export interface FlagValues {
  host?: string[];
  dataRoot?: string;
  execRoot?: string;
  pidfile?: string;
  configFile?: string;
  logLevel?: string;
  debug?: boolean;
  registryMirror?: string[];
  insecureRegistry?: string[];
  group?: string;
  cgroupParent?: string;
  bridge?: string;
  bip?: string;
  supervisorBackend?: string;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

function readFileConfig(path: string, explicit: boolean): FileConfig {
  if (!existsSync(path)) {
    if (explicit)
      throw new ConfigError(`unable to configure the daemon: open ${path}: no such file or directory`);
    return {};
  }
  let json: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    // an empty file is an empty configuration
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`unable to configure the daemon with file ${path}: ${(e as Error).message}`);
  }
  const parsed = FileConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new ConfigError(`unable to configure the daemon with file ${path}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function resolveConfig(flags: FlagValues): DaemonConfig {
  const file = readFileConfig(flags.configFile ?? DEFAULT_CONFIG_FILE, flags.configFile !== undefined);
  const conflicts: string[] = [];
  const pick = <T>(flag: T | undefined, key: keyof FileConfig, fallback: T): T => {
    const fromFile = file[key] as T | undefined;
    const flagSet = flag !== undefined && !(Array.isArray(flag) && flag.length === 0);
    if (flagSet && fromFile !== undefined)
      conflicts.push(`${key}: (from flag: ${String(flag)}, from file: ${String(fromFile)})`);
    return flagSet ? flag! : (fromFile ?? fallback);
  };
  const level = flags.debug || file.debug ? 'debug' : pick(flags.logLevel, 'log-level', 'info');
  const cfg: DaemonConfig = {
    hosts: pick(flags.host, 'hosts', [] as string[]),
    dataRoot: pick(flags.dataRoot, 'data-root', DEFAULT_DATA_ROOT),
    execRoot: pick(flags.execRoot, 'exec-root', DEFAULT_EXEC_ROOT),
    pidfile: '',
    logLevel: 'info',
    registryMirrors: pick(flags.registryMirror, 'registry-mirrors', [] as string[]),
    insecureRegistries: pick(flags.insecureRegistry, 'insecure-registries', [] as string[]),
    cgroupParent: pick(flags.cgroupParent, 'cgroup-parent', '/berth'),
    bridge: pick(flags.bridge, 'bridge', ''),
    supervisorBackend: DEFAULT_SUPERVISOR_BACKEND,
  };
  const backend = pick(flags.supervisorBackend, 'supervisor-backend', DEFAULT_SUPERVISOR_BACKEND as string);
  if (backend !== 'shim' && backend !== 'in-process')
    throw new ConfigError(
      `unable to configure the daemon: invalid supervisor backend ${JSON.stringify(backend)} (shim, in-process)`,
    );
  cfg.supervisorBackend = backend;
  cfg.pidfile = pick(flags.pidfile, 'pidfile', `${cfg.execRoot}/berthd.pid`);
  const bip = pick(flags.bip, 'bip', undefined as string | undefined);
  if (bip) {
    if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(bip))
      throw new ConfigError(`unable to configure the daemon: invalid --bip ${bip} (expected a.b.c.d/len)`);
    cfg.bip = bip;
  }
  const tlsverify = flags.tlsverify || file.tlsverify;
  const ca = pick(flags.tlscacert, 'tlscacert', undefined as string | undefined);
  const cert = pick(flags.tlscert, 'tlscert', undefined as string | undefined);
  const key = pick(flags.tlskey, 'tlskey', undefined as string | undefined);
  if (tlsverify) {
    if (!ca || !cert || !key)
      throw new ConfigError(
        'unable to configure the daemon: --tlsverify needs --tlscacert, --tlscert and --tlskey',
      );
    cfg.tls = { ca, cert, key };
  }
  const group = pick(flags.group, 'group', undefined as string | undefined);
  if (group) cfg.group = group;
  if (conflicts.length > 0)
    throw new ConfigError(
      `unable to configure the daemon: the following directives are specified both as a flag and in the configuration file: ${conflicts.join(', ')}`,
    );
  const lv = LogLevel.safeParse(level);
  if (!lv.success)
    throw new ConfigError(`unable to configure the daemon: invalid log level ${JSON.stringify(level)}`);
  cfg.logLevel = lv.data;
  if (cfg.hosts.length === 0) cfg.hosts = [`unix://${cfg.execRoot}/berth.sock`];
  for (const h of cfg.hosts) parseHost(h);
  return cfg;
}

export type Listen =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  /** fd://: the sockets systemd passed (LISTEN_FDS from fd 3); fd://N: that one */
  | { kind: 'fd'; fd?: number };

/** -H values: unix:///path, tcp://host:port, fd:// (systemd socket activation: refused here). */
export function parseHost(h: string): Listen {
  if (h.startsWith('unix://')) {
    const path = h.slice('unix://'.length);
    if (!path.startsWith('/')) throw new ConfigError(`invalid -H ${h}: the socket path must be absolute`);
    return { kind: 'unix', path };
  }
  if (h.startsWith('/')) return { kind: 'unix', path: h };
  if (h.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(h);
    if (!m) throw new ConfigError(`invalid -H ${h}: expected tcp://host:port`);
    return { kind: 'tcp', host: (m[1] || '127.0.0.1').replace(/^\[|\]$/g, ''), port: Number(m[2] ?? 2375) };
  }
  if (h === 'fd://') return { kind: 'fd' };
  const fd = /^fd:\/\/(\d+)$/.exec(h);
  if (fd) return { kind: 'fd', fd: Number(fd[1]) };
  throw new ConfigError(`invalid -H ${h}: expected unix:///path, tcp://host:port or fd://`);
}
