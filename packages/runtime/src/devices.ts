// /dev for the container: the default devices every container gets (as runc), the ones config.json
// asks for, and the standard symlinks.
import { existsSync } from 'node:fs';
import { constants as C, type PlanDevice } from '@berth/native';
import { specError } from './errors.js';
import { secureJoin } from './securejoin.js';
import type { Device } from './spec.js';

/** The devices of runc's default list (char devices, mode 0666, root-owned). */
export const DEFAULT_DEVICES: readonly Device[] = [
  { type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/zero', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/full', major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/random', major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/urandom', major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/tty', major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0 },
];

/** [target, link path] of the /dev symlinks. */
export const DEFAULT_SYMLINKS: ReadonlyArray<readonly [string, string]> = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
  ['pts/ptmx', '/dev/ptmx'],
];

const TYPE_BITS: Record<Device['type'], number> = {
  c: C.S_IFCHR,
  u: C.S_IFCHR,
  b: C.S_IFBLK,
  p: C.S_IFIFO,
};

export interface DevicePlanOptions {
  rootfs: string;
  /** in a new user namespace mknod is refused: bind-mount the host's node instead (as runc) */
  userNamespace: boolean;
}

/** Default devices plus linux.devices (a spec entry replaces a default one at the same path). */
export function planDevices(devices: readonly Device[] | undefined, opts: DevicePlanOptions): PlanDevice[] {
  const byPath = new Map<string, Device>();
  for (const d of DEFAULT_DEVICES) byPath.set(d.path, d);
  (devices ?? []).forEach((d, i) => {
    if (d.type !== 'p' && (d.major === undefined || d.minor === undefined))
      throw specError(`linux.devices[${i}]`, `device ${d.path} of type ${d.type} needs major and minor`);
    byPath.set(d.path, d);
  });
  return [...byPath.values()].map((d) => {
    const dev: PlanDevice = {
      path: secureJoin(opts.rootfs, d.path),
      mode: TYPE_BITS[d.type] | ((d.fileMode ?? 0o666) & 0o7777),
      major: d.major ?? 0,
      minor: d.minor ?? 0,
      uid: d.uid ?? 0,
      gid: d.gid ?? 0,
    };
    if (opts.userNamespace && existsSync(d.path)) dev.bindFrom = d.path;
    return dev;
  });
}

export function planSymlinks(
  rootfs: string,
  devices: readonly Device[] | undefined,
): { target: string; path: string }[] {
  const taken = new Set((devices ?? []).map((d) => d.path));
  return DEFAULT_SYMLINKS.filter(([, link]) => !taken.has(link)).map(([target, link]) => ({
    target,
    path: secureJoin(rootfs, link),
  }));
}

export interface DeviceRule {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access?: string;
}

/** The device cgroup rules every container gets after config.json's own (runc's allowed list). */
export const DEFAULT_DEVICE_RULES: readonly DeviceRule[] = [
  { allow: true, type: 'c', access: 'm' },
  { allow: true, type: 'b', access: 'm' },
  ...DEFAULT_DEVICES.map((d) => ({
    allow: true,
    type: 'c',
    major: d.major!,
    minor: d.minor!,
    access: 'rwm',
  })),
  { allow: true, type: 'c', major: 136, access: 'rwm' }, // /dev/pts/*
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' }, // /dev/ptmx
];

/**
 * linux.resources.devices with the default devices and every linux.devices entry allowed after
 * it, so the container can create and use them even under a deny-all rule (as runc does).
 */
export function deviceRules(
  resourcesRules: readonly DeviceRule[] | undefined,
  devices: readonly Device[] | undefined,
): DeviceRule[] {
  const own = (devices ?? []).map((d) => ({
    allow: true,
    type: d.type === 'u' ? 'c' : d.type,
    ...(d.major !== undefined ? { major: d.major } : {}),
    ...(d.minor !== undefined ? { minor: d.minor } : {}),
    access: 'rwm',
  }));
  return [...(resourcesRules ?? []), ...DEFAULT_DEVICE_RULES, ...own];
}
