import type { RuntimeSpec } from './runtime/config.js';
import { OCI_RUNTIME_SPEC_VERSION } from './version.js';

export interface DefaultSpecOptions {
  /**
   * Like `runc spec --rootless`: a user namespace mapping container root to `hostUid`/`hostGid`, no network
   * namespace, /sys bind-mounted from the host, no device cgroup rules, devpts without `gid=5`.
   */
  rootless?: boolean;
  /** Host uid mapped to container root when rootless (default: the effective uid of this process). */
  hostUid?: number;
  /** Host gid mapped to container root when rootless (default: the effective gid of this process). */
  hostGid?: number;
  /** `ociVersion` to write (default: the runtime-spec version this package implements). */
  ociVersion?: string;
}

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/**
 * A fresh config.json template with the same content as `runc spec` (runc 1.1, libcontainer/specconv's
 * Example()): `sh` in a read-only `rootfs`, pid/network/ipc/uts/mount namespaces, three capabilities,
 * the usual /proc, /dev, /sys mounts and masked paths. Only `ociVersion` differs by default (runc 1.1
 * writes 1.0.2-dev; berth writes the version it implements). Every call returns a new object.
 */
export function defaultSpec(options: DefaultSpecOptions = {}): RuntimeSpec {
  const rootless = options.rootless ?? false;
  const spec: RuntimeSpec = {
    ociVersion: options.ociVersion ?? OCI_RUNTIME_SPEC_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: {
        bounding: [...CAPS],
        effective: [...CAPS],
        permitted: [...CAPS],
        ambient: [...CAPS],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'runc',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
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
        // gid=5 (tty) is not mapped in a rootless user namespace, so runc drops it there.
        options: [
          'nosuid',
          'noexec',
          'newinstance',
          'ptmxmode=0666',
          'mode=0620',
          ...(rootless ? [] : ['gid=5']),
        ],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
      },
      {
        destination: '/dev/mqueue',
        type: 'mqueue',
        source: 'mqueue',
        options: ['nosuid', 'noexec', 'nodev'],
      },
      // Without a network namespace of its own a rootless container cannot mount sysfs: bind the host's.
      rootless
        ? {
            destination: '/sys',
            type: 'none',
            source: '/sys',
            options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'],
          }
        : {
            destination: '/sys',
            type: 'sysfs',
            source: 'sysfs',
            options: ['nosuid', 'noexec', 'nodev', 'ro'],
          },
      {
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
      },
    ],
    linux: {
      ...(rootless
        ? {
            uidMappings: [{ containerID: 0, hostID: options.hostUid ?? process.geteuid?.() ?? 0, size: 1 }],
            gidMappings: [{ containerID: 0, hostID: options.hostGid ?? process.getegid?.() ?? 0, size: 1 }],
          }
        : { resources: { devices: [{ allow: false, access: 'rwm' }] } }),
      namespaces: [
        { type: 'pid' },
        ...(rootless ? [] : [{ type: 'network' as const }]),
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
        ...(rootless ? [{ type: 'user' as const }] : []),
      ],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  return spec;
}
