import { posix } from 'node:path';
import { CgroupError } from './errors.js';

/** The systemd form of `cgroupsPath`, `slice:prefix:name`, broken into its parts. */
export interface SystemdCgroupsPath {
  /** The parent slice, e.g. `system.slice` (the default when the first part is empty). */
  slice: string;
  prefix: string;
  name: string;
  /** The unit systemd would create: `prefix-name.scope`, or `name` itself when it is a slice. */
  unit: string;
}

export interface ResolvedCgroupsPath {
  /** Absolute path inside a hierarchy, e.g. `/system.slice/berth-abc.scope` or `/berth/abc`. */
  path: string;
  /** Present when `cgroupsPath` was in systemd's `slice:prefix:name` form. */
  systemd?: SystemdCgroupsPath;
}

export interface ResolveOptions {
  /**
   * `systemd`: `cgroupsPath` must be `slice:prefix:name`; `cgroupfs`: it is a path; `auto` (default):
   * systemd form when it has exactly three `:`-separated parts and no leading `/`.
   */
  driver?: 'auto' | 'cgroupfs' | 'systemd';
  /** Where a relative path is placed (as runc does: the runtime's own cgroup). Default `/`. */
  relativeTo?: string;
}

function pathError(cgroupsPath: string, why: string): CgroupError {
  return new CgroupError('ECGROUPPATH', `cgroupsPath ${JSON.stringify(cgroupsPath)}: ${why}`);
}

/**
 * systemd's slice naming: `a-b-c.slice` lives at `/a.slice/a-b.slice/a-b-c.slice`; `-.slice` is the root.
 * Dashes may not lead, trail or repeat, and slices may not contain `/`.
 */
export function expandSlice(slice: string): string {
  const suffix = '.slice';
  if (!slice.endsWith(suffix) || slice.includes('/')) throw pathError(slice, `invalid slice name ${slice}`);
  if (slice === '-.slice') return '/';
  const base = slice.slice(0, -suffix.length);
  if (base === '' || base.startsWith('-') || base.endsWith('-') || base.includes('--')) {
    throw pathError(slice, `invalid slice name ${slice}`);
  }
  let path = '';
  let prefix = '';
  for (const part of base.split('-')) {
    prefix = prefix === '' ? part : `${prefix}-${part}`;
    path += `/${prefix}${suffix}`;
  }
  return path;
}

/** Parses `slice:prefix:name` (runc's systemd cgroup driver form). */
export function parseSystemdCgroupsPath(cgroupsPath: string): SystemdCgroupsPath {
  const parts = cgroupsPath.split(':');
  if (parts.length !== 3) throw pathError(cgroupsPath, 'systemd form must be "slice:prefix:name"');
  const [rawSlice, prefix, name] = parts as [string, string, string];
  if (name === '') throw pathError(cgroupsPath, 'the name part is empty');
  if (name.includes('/') || prefix.includes('/'))
    throw pathError(cgroupsPath, 'prefix and name may not contain "/"');
  const slice = rawSlice === '' ? 'system.slice' : rawSlice;
  expandSlice(slice); // validates
  const unit = name.endsWith('.slice') ? name : prefix === '' ? `${name}.scope` : `${prefix}-${name}.scope`;
  return { slice, prefix, name, unit };
}

/** Maps an OCI `linux.cgroupsPath` (path or systemd form) to an absolute path inside a hierarchy. */
export function resolveCgroupsPath(cgroupsPath: string, options: ResolveOptions = {}): ResolvedCgroupsPath {
  const driver = options.driver ?? 'auto';
  if (cgroupsPath === '') throw pathError(cgroupsPath, 'empty');
  if (cgroupsPath.includes('\0')) throw pathError(cgroupsPath, 'contains a NUL byte');
  const looksSystemd = !cgroupsPath.startsWith('/') && cgroupsPath.split(':').length === 3;
  if (driver === 'systemd' || (driver === 'auto' && looksSystemd)) {
    const systemd = parseSystemdCgroupsPath(cgroupsPath);
    // A slice used as the name nests under its own expansion (a-b.slice is /a.slice/a-b.slice).
    const path = systemd.unit.endsWith('.slice')
      ? expandSlice(systemd.unit)
      : posix.join(expandSlice(systemd.slice), systemd.unit);
    return { path, systemd };
  }
  const base = options.relativeTo ?? '/';
  // resolve() clamps `..` at the root, so a path can never leave the hierarchy.
  const path = cgroupsPath.startsWith('/')
    ? posix.resolve('/', cgroupsPath)
    : posix.resolve('/', base, cgroupsPath);
  if (path === '/') throw pathError(cgroupsPath, 'resolves to the root cgroup');
  return { path };
}
