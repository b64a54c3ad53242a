// A container record → OCI runtime spec (config.json), as moby's daemon/oci_linux.go builds it:
// Docker's default mounts, masked and read-only paths, namespaces, capabilities and seccomp profile,
// then everything HostConfig asks for (resources, mounts, security options, sysctls, rlimits ...).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type LinuxDevice,
  type LinuxDeviceCgroup,
  type LinuxNamespace,
  type LinuxResources,
  type LinuxSeccomp,
  type Mount,
  OCI_RUNTIME_SPEC_VERSION,
  type POSIXRlimit,
  RuntimeSpec,
} from '@berth/oci-spec';
import { containerCapabilities } from './capabilities.js';
import { invalid } from './errors.js';
import { commandOf } from './image-config.js';
import { defaultSeccompProfile } from './seccomp-default.js';
import type { ContainerRecord, HostConfig } from './types.js';
import { type RootfsReader, resolveUser } from './user.js';

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;
/** where `--init`'s binary appears in the container (Docker's name for it) */
export const INIT_PATH = '/sbin/docker-init';

export const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface SpecInputs {
  record: ContainerRecord;
  /** root.path of the spec (absolute, or relative to the bundle) */
  rootfs: string;
  /** reads files of the container's filesystem (for --user names) */
  readRootfs: RootfsReader;
  /** cgroup parent for daemon containers, e.g. /berth */
  cgroupParent: string;
  /** the network namespace to join (from the network manager); undefined: a new one */
  netnsPath?: string;
  /** files the daemon made for the container (bind-mounted) */
  files?: { hosts?: string; hostname?: string; resolvConf?: string };
  /** berth-init on the host, for `--init` (bind-mounted at /sbin/docker-init, as Docker's tini) */
  initPath?: string;
  /** read a seccomp profile named by path in --security-opt (default: fs) */
  readFile?: (path: string) => string;
}

interface SecurityOptions {
  seccomp: 'default' | 'unconfined' | LinuxSeccomp;
  noNewPrivileges: boolean;
  systemPathsUnconfined: boolean;
}

function parseSecurityOpts(opts: readonly string[], readFile: (p: string) => string): SecurityOptions {
  const out: SecurityOptions = { seccomp: 'default', noNewPrivileges: false, systemPathsUnconfined: false };
  for (const opt of opts) {
    const i = opt.search(/[=:]/);
    const key = i < 0 ? opt : opt.slice(0, i);
    const value = i < 0 ? '' : opt.slice(i + 1);
    switch (key) {
      case 'seccomp': {
        if (value === 'unconfined') out.seccomp = 'unconfined';
        else if (value === '' || value === 'builtin') out.seccomp = 'default';
        else {
          // the docker CLI reads a profile file itself and sends its JSON; a path is read here
          let text = value;
          if (!value.trimStart().startsWith('{')) {
            try {
              text = readFile(value);
            } catch (e) {
              throw invalid(`opening seccomp profile (${value}) failed: ${(e as Error).message}`);
            }
          }
          out.seccomp = parseSeccompJson(text);
        }
        break;
      }
      case 'no-new-privileges':
        out.noNewPrivileges = value === '' || value === 'true';
        if (value !== '' && value !== 'true' && value !== 'false')
          throw invalid(`invalid --security-opt 2: "${opt}"`);
        break;
      case 'systempaths':
        if (value !== 'unconfined') throw invalid(`invalid --security-opt: "${opt}"`);
        out.systemPathsUnconfined = true;
        break;
      case 'apparmor':
      case 'label':
        // no AppArmor or SELinux on berth's hosts: accepted and recorded, as dockerd does without them
        break;
      default:
        throw invalid(`invalid --security-opt 1: "${opt}"`);
    }
  }
  return out;
}

/** A Docker seccomp profile (JSON) → OCI linux.seccomp: Docker's file format is a superset. */
function parseSeccompJson(text: string): LinuxSeccomp {
  let doc: {
    defaultAction?: string;
    defaultErrnoRet?: number;
    architectures?: string[];
    archMap?: { architecture: string; subArchitectures?: string[] }[];
    syscalls?: {
      names?: string[];
      name?: string;
      action: string;
      errnoRet?: number;
      args?: unknown[] | null;
    }[];
    flags?: string[];
  };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(`decoding seccomp profile failed: ${(e as Error).message}`);
  }
  if (!doc || typeof doc.defaultAction !== 'string')
    throw invalid('decoding seccomp profile failed: no defaultAction');
  const architectures =
    doc.architectures ??
    doc.archMap
      ?.filter((a) => a.architecture === 'SCMP_ARCH_X86_64')
      .flatMap((a) => [a.architecture, ...(a.subArchitectures ?? [])]);
  const seccomp = {
    defaultAction: doc.defaultAction,
    ...(doc.defaultErrnoRet !== undefined ? { defaultErrnoRet: doc.defaultErrnoRet } : {}),
    ...(architectures ? { architectures } : {}),
    ...(doc.flags ? { flags: doc.flags } : {}),
    syscalls: (doc.syscalls ?? []).map((s) => ({
      names: s.names ?? (s.name ? [s.name] : []),
      action: s.action,
      ...(s.errnoRet !== undefined ? { errnoRet: s.errnoRet } : {}),
      ...(s.args ? { args: s.args } : {}),
    })),
  };
  const parsed = RuntimeSpec.shape.linux.unwrap().shape.seccomp.unwrap().safeParse(seccomp);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`invalid seccomp profile at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function defaultMounts(host: HostConfig, privileged: boolean): Mount[] {
  const shm = host.ShmSize && host.ShmSize > 0 ? host.ShmSize : DEFAULT_SHM_SIZE;
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/sys',
      type: 'sysfs',
      source: 'sysfs',
      options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'],
    },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shm}`],
    },
  ];
}

/** Docker's device cgroup: deny everything, then the runtime adds the standard allowed devices. */
function deviceRules(host: HostConfig, privileged: boolean): LinuxDeviceCgroup[] {
  if (privileged) return [{ allow: true, access: 'rwm' }];
  const rules: LinuxDeviceCgroup[] = [{ allow: false, access: 'rwm' }];
  for (const rule of host.DeviceCgroupRules ?? []) {
    const m = /^([acb]) (\d+|\*):(\d+|\*) ([rwm]{1,3})$/.exec(rule);
    if (!m) throw invalid(`invalid device cgroup rule format: '${rule}'`);
    rules.push({
      allow: true,
      type: m[1] as 'a' | 'b' | 'c',
      ...(m[2] !== '*' ? { major: Number(m[2]) } : {}),
      ...(m[3] !== '*' ? { minor: Number(m[3]) } : {}),
      access: m[4]!,
    });
  }
  return rules;
}

function deviceOf(path: string, inContainer: string, perms: string): LinuxDevice & { perms: string } {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw invalid(
      `error gathering device information while adding custom device "${path}": no such file or directory`,
    );
  }
  const type = st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined;
  if (!type)
    throw invalid(
      `error gathering device information while adding custom device "${path}": not a device node`,
    );
  const rdev = Number(st.rdev);
  const major = (rdev >> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return { path: inContainer, type, major, minor, fileMode: st.mode & 0o777, uid: 0, gid: 0, perms };
}

/** Every device node directly under the host's /dev (privileged containers get them, as Docker does). */
function hostDevices(): LinuxDevice[] {
  const out: LinuxDevice[] = [];
  for (const name of readdirSync('/dev')) {
    const p = join('/dev', name);
    try {
      const st = statSync(p);
      if (!st.isCharacterDevice() && !st.isBlockDevice()) continue;
      if (['console', 'tty', 'ptmx'].includes(name)) continue;
      out.push(deviceOf(p, p, 'rwm'));
    } catch {
      // vanished or unreadable: skip
    }
  }
  return out;
}

export function resources(host: HostConfig): LinuxResources {
  const r: LinuxResources = {};
  const memory: NonNullable<LinuxResources['memory']> = {};
  if (host.Memory && host.Memory > 0) memory.limit = host.Memory;
  if (host.MemoryReservation && host.MemoryReservation > 0) memory.reservation = host.MemoryReservation;
  if (host.MemorySwap && host.MemorySwap !== 0) memory.swap = host.MemorySwap;
  if (host.MemorySwappiness !== null && host.MemorySwappiness !== undefined && host.MemorySwappiness >= 0)
    memory.swappiness = host.MemorySwappiness;
  if (host.OomKillDisable) memory.disableOOMKiller = true;
  if (Object.keys(memory).length > 0) r.memory = memory;
  const cpu: NonNullable<LinuxResources['cpu']> = {};
  if (host.CpuShares && host.CpuShares > 0) cpu.shares = host.CpuShares;
  if (host.NanoCpus && host.NanoCpus > 0) {
    if (host.CpuQuota && host.CpuQuota > 0)
      throw invalid('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
    cpu.period = 100_000;
    cpu.quota = Math.round((host.NanoCpus * 100_000) / 1e9);
  } else {
    if (host.CpuPeriod && host.CpuPeriod > 0) cpu.period = host.CpuPeriod;
    if (host.CpuQuota && host.CpuQuota > 0) cpu.quota = host.CpuQuota;
  }
  if (host.CpuRealtimePeriod && host.CpuRealtimePeriod > 0) cpu.realtimePeriod = host.CpuRealtimePeriod;
  if (host.CpuRealtimeRuntime && host.CpuRealtimeRuntime > 0) cpu.realtimeRuntime = host.CpuRealtimeRuntime;
  if (host.CpusetCpus) cpu.cpus = host.CpusetCpus;
  if (host.CpusetMems) cpu.mems = host.CpusetMems;
  if (Object.keys(cpu).length > 0) r.cpu = cpu;
  if (host.PidsLimit && host.PidsLimit > 0) r.pids = { limit: host.PidsLimit };
  if (host.BlkioWeight && host.BlkioWeight > 0) r.blockIO = { weight: host.BlkioWeight };
  return r;
}

function rlimits(host: HostConfig): POSIXRlimit[] {
  return (host.Ulimits ?? []).map((u) => {
    if (!/^[a-z]+$/.test(u.Name)) throw invalid(`invalid ulimit type: ${u.Name}`);
    if (u.Soft > u.Hard && u.Hard >= 0)
      throw invalid(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    const big = (n: number) => (n < 0 ? 2 ** 64 - 1 : n);
    return { type: `RLIMIT_${u.Name.toUpperCase()}`, soft: big(u.Soft), hard: big(u.Hard) };
  });
}

function namespaces(host: HostConfig, netnsPath: string | undefined): LinuxNamespace[] {
  const ns: LinuxNamespace[] = [{ type: 'mount' }];
  const net = host.NetworkMode ?? 'default';
  if (net !== 'host') ns.push(netnsPath ? { type: 'network', path: netnsPath } : { type: 'network' });
  if (host.UTSMode !== 'host') ns.push({ type: 'uts' });
  if (host.PidMode !== 'host') ns.push({ type: 'pid' });
  if (host.IpcMode !== 'host') ns.push({ type: 'ipc' });
  if (host.CgroupnsMode === 'private') ns.push({ type: 'cgroup' });
  for (const [mode, what] of [
    [host.PidMode, 'pid'],
    [host.IpcMode, 'ipc'],
    [host.UTSMode, 'uts'],
  ] as const) {
    if (mode && mode !== 'host' && mode !== 'private' && mode !== 'shareable' && mode !== '')
      throw invalid(`invalid ${what} mode: ${mode} (berth supports "host" and the default)`);
  }
  return ns;
}

/** Mounts sorted so a parent is mounted before what is mounted inside it (moby sorts by depth). */
function byDepth(a: Mount, b: Mount): number {
  const depth = (m: Mount) => m.destination.split('/').filter(Boolean).length;
  return depth(a) - depth(b);
}

export function buildSpec(inputs: SpecInputs): RuntimeSpec {
  const { record: rec, rootfs } = inputs;
  const host = rec.HostConfig;
  const config = rec.Config;
  const privileged = !!host.Privileged;
  const security = parseSecurityOpts(
    host.SecurityOpt ?? [],
    inputs.readFile ?? ((p) => readFileSync(p, 'utf8')),
  );
  let args = commandOf(config);
  if (args.length === 0) throw invalid('no command specified');
  if (host.Init) {
    if (!inputs.initPath) throw invalid('--init needs berth-init, which this daemon does not have');
    args = [INIT_PATH, '--', ...args];
  }
  const user = resolveUser(inputs.readRootfs, config.User, host.GroupAdd ?? []);
  const caps = containerCapabilities({ privileged, capAdd: host.CapAdd, capDrop: host.CapDrop });

  const env = [...(config.Env ?? [])];
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(DEFAULT_PATH);
  const hostname = config.Hostname || rec.Id.slice(0, 12);
  if (!env.some((e) => e.startsWith('HOSTNAME='))) env.push(`HOSTNAME=${hostname}`);
  if (config.Tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${user.home}`);

  const mounts = defaultMounts(host, privileged);
  const userDests = new Set(rec.MountPoints.map((m) => m.Destination));
  // a user mount on /dev/shm etc. replaces Docker's default one
  const base = mounts.filter((m) => !userDests.has(m.destination));
  const files: [string | undefined, string][] = [
    [inputs.files?.resolvConf, '/etc/resolv.conf'],
    [inputs.files?.hostname, '/etc/hostname'],
    [inputs.files?.hosts, '/etc/hosts'],
  ];
  for (const [source, destination] of files) {
    if (!source || userDests.has(destination)) continue;
    base.push({
      destination,
      type: 'bind',
      source,
      options: ['rbind', 'rprivate', host.ReadonlyRootfs ? 'ro' : 'rw'],
    });
  }
  const own: Mount[] = rec.MountPoints.map((mp) =>
    mp.Type === 'tmpfs'
      ? {
          destination: mp.Destination,
          type: 'tmpfs',
          source: 'tmpfs',
          options: mp.Options ?? ['nosuid', 'nodev', 'noexec'],
        }
      : {
          destination: mp.Destination,
          type: 'bind',
          source: mp.Source,
          options: ['rbind', mp.Propagation || 'rprivate', mp.RW ? 'rw' : 'ro'],
        },
  );
  if (host.Init && inputs.initPath)
    base.push({
      destination: INIT_PATH,
      type: 'bind',
      source: inputs.initPath,
      options: ['rbind', 'ro', 'rprivate'],
    });
  const allMounts = [...base, ...own.sort(byDepth)];

  const devices: LinuxDevice[] = privileged ? hostDevices() : [];
  const deviceCgroup = deviceRules(host, privileged);
  for (const d of host.Devices ?? []) {
    const dev = deviceOf(d.PathOnHost, d.PathInContainer || d.PathOnHost, d.CgroupPermissions || 'rwm');
    const { perms, ...device } = dev;
    devices.push(device);
    deviceCgroup.push({
      allow: true,
      type: dev.type as 'c' | 'b',
      major: dev.major!,
      minor: dev.minor!,
      access: perms,
    });
  }

  const seccomp =
    privileged || security.seccomp === 'unconfined'
      ? undefined
      : security.seccomp === 'default'
        ? defaultSeccompProfile(caps)
        : security.seccomp;
  const unconfinedPaths = privileged || security.systemPathsUnconfined;

  const capabilities = { bounding: caps, effective: caps, permitted: caps };
  const spec: RuntimeSpec = {
    ociVersion: OCI_RUNTIME_SPEC_VERSION,
    process: {
      terminal: !!config.Tty,
      user: {
        uid: user.uid,
        gid: user.gid,
        ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}),
      },
      args,
      env,
      cwd: config.WorkingDir || '/',
      capabilities: user.uid === 0 ? capabilities : { bounding: caps },
      ...(host.Ulimits?.length ? { rlimits: rlimits(host) } : {}),
      ...(security.noNewPrivileges ? { noNewPrivileges: true } : {}),
      ...(host.OomScoreAdj ? { oomScoreAdj: host.OomScoreAdj } : {}),
      ...(host.ConsoleSize?.[0] && host.ConsoleSize[1]
        ? { consoleSize: { height: host.ConsoleSize[0], width: host.ConsoleSize[1] } }
        : {}),
    },
    root: { path: rootfs, readonly: !!host.ReadonlyRootfs },
    hostname,
    ...(config.Domainname ? { domainname: config.Domainname } : {}),
    mounts: allMounts,
    annotations: { ...(host.Annotations ?? {}), 'org.berth.container.name': rec.Name.slice(1) },
    linux: {
      namespaces: namespaces(host, inputs.netnsPath),
      cgroupsPath: `${inputs.cgroupParent.replace(/\/$/, '')}/${rec.Id}`,
      resources: { ...resources(host), devices: deviceCgroup },
      ...(devices.length ? { devices } : {}),
      ...(host.Sysctls && Object.keys(host.Sysctls).length ? { sysctl: host.Sysctls } : {}),
      ...(seccomp ? { seccomp } : {}),
      maskedPaths: unconfinedPaths ? [] : (host.MaskedPaths ?? MASKED_PATHS),
      readonlyPaths: unconfinedPaths ? [] : (host.ReadonlyPaths ?? READONLY_PATHS),
      ...(host.NetworkMode === 'host' ? {} : {}),
    },
  };
  // the result must be a valid config.json: a bug here is caught before the runtime sees it
  const checked = RuntimeSpec.safeParse(spec);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw invalid(`generated runtime spec is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return spec;
}

/** Whether /sys/fs/cgroup/memory offers swap accounting (memory.memsw.*). */
export function hasSwapAccounting(): boolean {
  return existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
}
