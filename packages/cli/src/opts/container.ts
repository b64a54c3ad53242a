// run/create flags → the POST /containers/create body (Config + HostConfig + NetworkingConfig).
import { CliError, FlagValueError } from '../errors.js';
import type { Flags } from '../flags.js';
import { ramInBytes } from '../output/units.js';
import { buildEnv, parseLabels } from './env.js';
import { parseMount, parseTmpfs, parseVolumes } from './mounts.js';
import { parsePorts } from './ports.js';

export interface CreateBody {
  name: string | undefined;
  platform: string | undefined;
  body: Record<string, unknown>;
}

function parseRestart(v: string): { Name: string; MaximumRetryCount?: number } {
  const [name, count] = v.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure', ''].includes(name!)) {
    throw new CliError(`invalid restart policy '${v}'`, 125);
  }
  if (count !== undefined) {
    if (name !== 'on-failure')
      throw new CliError(
        `invalid restart policy format: maximum retry count can only be used with 'on-failure'`,
        125,
      );
    if (!/^\d+$/.test(count))
      throw new CliError(`invalid restart policy format: maximum retry count must be an integer`, 125);
    return { Name: name, MaximumRetryCount: Number(count) };
  }
  return { Name: name === '' ? 'no' : name! };
}

function bytesFlag(f: Flags, long: string, short: string | undefined): number | undefined {
  const v = f.str(long);
  if (v === undefined || v === '') return undefined;
  const n = ramInBytes(v);
  if (typeof n === 'string') throw new FlagValueError(short ? `-${short}, --${long}` : `--${long}`, v, n);
  return n;
}

function parseUlimits(specs: string[]): { Name: string; Soft: number; Hard: number }[] {
  return specs.map((s) => {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(s);
    if (!m) throw new FlagValueError('--ulimit', s, 'invalid ulimit argument');
    return { Name: m[1]!, Soft: Number(m[2]), Hard: Number(m[3] ?? m[2]) };
  });
}

function keyValues(specs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    const i = s.indexOf('=');
    if (i <= 0) throw new FlagValueError('--sysctl', s, 'must be key=value');
    out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/**
 * Builds the create request. `detached` decides which streams are attached (docker: with -d none,
 * otherwise stdout+stderr, and stdin with -i).
 */
export function buildCreateBody(
  f: Flags,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { detached: boolean },
): CreateBody {
  const [image, ...cmd] = args;
  if (!image) throw new CliError('requires at least 1 argument', 125);
  const ports = parsePorts(f.list('publish'), f.list('expose'));
  const vols = parseVolumes(f.list('volume'));
  const mounts = f.list('mount').map(parseMount);
  const interactive = f.bool('interactive');
  const attach = new Set(f.list('attach').map((a) => a.toLowerCase()));
  for (const a of attach) {
    if (!['stdin', 'stdout', 'stderr'].includes(a))
      throw new CliError(
        `invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`,
        125,
      );
  }
  if (opts.detached && attach.size)
    throw new CliError('conflicting options: cannot specify both --attach and --detach', 125);
  const attachStdin = !opts.detached && (attach.size ? attach.has('stdin') : interactive);
  const attachStdout = !opts.detached && (attach.size ? attach.has('stdout') : true);
  const attachStderr = !opts.detached && (attach.size ? attach.has('stderr') : true);

  const cpus = f.str('cpus');
  let nanoCpus: number | undefined;
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!Number.isFinite(n) || n < 0)
      throw new FlagValueError('--cpus', cpus, 'failed to parse as a decimal number');
    nanoCpus = Math.round(n * 1e9);
  }
  const pidsLimit = f.str('pids-limit');
  if (pidsLimit !== undefined && !/^-?\d+$/.test(pidsLimit))
    throw new FlagValueError('--pids-limit', pidsLimit, 'invalid syntax');
  const cpuShares = f.str('cpu-shares');

  let entrypoint: string[] | undefined;
  const ep = f.str('entrypoint');
  if (ep !== undefined) entrypoint = [ep];

  const restart = parseRestart(f.str('restart') ?? 'no');
  if (f.bool('rm') && restart.Name !== 'no')
    throw new CliError('conflicting options: cannot specify both --restart and --rm', 125);

  const logOpts = keyValues(f.list('log-opt'));
  const network = f.str('network');
  const aliases = f.list('network-alias');
  const labels = parseLabels(f.list('label'));

  const config: Record<string, unknown> = {
    Image: image,
    Cmd: cmd.length ? cmd : undefined,
    Entrypoint: entrypoint,
    Env: buildEnv(f.list('env'), f.list('env-file'), env),
    Tty: f.bool('tty'),
    OpenStdin: interactive,
    StdinOnce: interactive && !opts.detached,
    AttachStdin: attachStdin,
    AttachStdout: attachStdout,
    AttachStderr: attachStderr,
    WorkingDir: f.str('workdir') ?? '',
    User: f.str('user') ?? '',
    Hostname: f.str('hostname') ?? '',
    Labels: labels,
    ExposedPorts: Object.keys(ports.exposed).length ? ports.exposed : undefined,
    Volumes: Object.keys(vols.volumes).length ? vols.volumes : undefined,
    StopSignal: f.str('stop-signal'),
    StopTimeout: f.int('stop-timeout'),
  };
  const hostConfig: Record<string, unknown> = {
    Binds: vols.binds.length ? vols.binds : undefined,
    Mounts: mounts.length ? mounts : undefined,
    Tmpfs: f.list('tmpfs').length ? parseTmpfs(f.list('tmpfs')) : undefined,
    PortBindings: Object.keys(ports.bindings).length ? ports.bindings : undefined,
    PublishAllPorts: f.bool('publish-all'),
    AutoRemove: f.bool('rm'),
    Memory: bytesFlag(f, 'memory', 'm'),
    ShmSize: bytesFlag(f, 'shm-size', undefined),
    NanoCpus: nanoCpus,
    CpuShares: cpuShares !== undefined ? Number(cpuShares) : undefined,
    PidsLimit: pidsLimit !== undefined ? Number(pidsLimit) : undefined,
    RestartPolicy: restart,
    ReadonlyRootfs: f.bool('read-only'),
    CapAdd: f.list('cap-add').length ? f.list('cap-add') : undefined,
    CapDrop: f.list('cap-drop').length ? f.list('cap-drop') : undefined,
    Privileged: f.bool('privileged'),
    Init: f.bool('init') ? true : undefined,
    NetworkMode: network,
    Dns: f.list('dns').length ? f.list('dns') : undefined,
    ExtraHosts: f.list('add-host').length ? f.list('add-host').map((h) => h.replace('=', ':')) : undefined,
    SecurityOpt: f.list('security-opt').length ? f.list('security-opt') : undefined,
    Sysctls: f.list('sysctl').length ? keyValues(f.list('sysctl')) : undefined,
    Ulimits: f.list('ulimit').length ? parseUlimits(f.list('ulimit')) : undefined,
    VolumesFrom: f.list('volumes-from').length ? f.list('volumes-from') : undefined,
    LogConfig:
      f.str('log-driver') || Object.keys(logOpts).length
        ? { Type: f.str('log-driver') ?? '', Config: logOpts }
        : undefined,
  };
  const body: Record<string, unknown> = { ...config, HostConfig: hostConfig };
  if (network && aliases.length) {
    body.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: aliases } } };
  }
  return { name: f.str('name'), platform: f.str('platform'), body: JSON.parse(JSON.stringify(body)) };
}
