// The container's mounts from `-v` (HostConfig.Binds), `--mount` (HostConfig.Mounts), `--tmpfs`
// (HostConfig.Tmpfs) and volumes declared by the image or Config.Volumes (anonymous volumes), with
// Docker's validation (absolute destinations, no duplicates, existing bind sources for --mount).
// Everything is checked before any volume is created, so a bad mount changes nothing.
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import { invalid } from './errors.js';
import type { HostConfig, MountInput, MountPoint } from './types.js';
import type { VolumeStore } from './volumes.js';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

interface Planned extends MountPoint {
  /** a volume that must be created */
  createVolume?: { name?: string; labels?: Record<string, string> };
  /** a bind source (-v) that is made when missing */
  createSource?: boolean;
}

function cleanDest(dest: string, spec: string): string {
  if (!isAbsolute(dest))
    throw invalid(`invalid mount config: invalid mount path: '${dest}' mount path must be absolute`);
  const d = posix.normalize(dest);
  if (d === '/')
    throw invalid(
      `invalid volume specification: '${spec}': invalid mount config for type "bind": destination can't be '/'`,
    );
  return d.length > 1 && d.endsWith('/') ? d.slice(0, -1) : d;
}

function parseBind(spec: string): Planned {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    throw invalid(`invalid volume specification: '${spec}'`);
  const [src, dst, mode = ''] = parts as [string, string, string?];
  const modes = mode === '' ? [] : mode.split(',');
  const noCopy = modes.includes('nocopy');
  let rw = true;
  let propagation = 'rprivate';
  for (const m of modes) {
    if (m === 'ro') rw = false;
    else if (m === 'rw') rw = true;
    else if (PROPAGATIONS.includes(m)) propagation = m;
    else if (
      m === 'z' ||
      m === 'Z' ||
      m === 'nocopy' ||
      m === 'consistent' ||
      m === 'cached' ||
      m === 'delegated'
    ) {
      // SELinux relabel / copy / macOS consistency flags: nothing to do on this host
    } else throw invalid(`invalid mode: ${m}`);
  }
  const destination = cleanDest(dst, spec);
  if (isAbsolute(src)) {
    return {
      Type: 'bind',
      Source: posix.normalize(src),
      Destination: destination,
      Mode: mode,
      RW: rw,
      Propagation: propagation,
      createSource: true,
    };
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(src))
    throw invalid(
      `invalid volume specification: '${spec}': "${src}" includes invalid characters for a local volume name`,
    );
  return {
    Type: 'volume',
    Name: src,
    Source: '',
    Driver: 'local',
    Destination: destination,
    Mode: mode,
    RW: rw,
    Propagation: '',
    createVolume: { name: src },
    ...(noCopy ? { NoCopy: true } : {}),
  };
}

function parseMount(m: MountInput): Planned {
  const where = `invalid mount config for type "${m.Type}"`;
  const destination = cleanDest(m.Target, m.Target);
  const rw = !m.ReadOnly;
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) throw invalid(`${where}: field Source must not be empty`);
      if (!isAbsolute(m.Source))
        throw invalid(`${where}: invalid mount path: '${m.Source}' mount path must be absolute`);
      if (!existsSync(m.Source) && !m.BindOptions?.CreateMountpoint)
        throw invalid(`${where}: bind source path does not exist: ${m.Source}`);
      const propagation = m.BindOptions?.Propagation || 'rprivate';
      if (!PROPAGATIONS.includes(propagation))
        throw invalid(`${where}: invalid propagation mode: ${propagation}`);
      return {
        Type: 'bind',
        Source: posix.normalize(m.Source),
        Destination: destination,
        Mode: '',
        RW: rw,
        Propagation: propagation,
        createSource: !!m.BindOptions?.CreateMountpoint,
      };
    }
    case 'volume': {
      if (m.VolumeOptions?.DriverConfig?.Name && m.VolumeOptions.DriverConfig.Name !== 'local')
        throw invalid(`${where}: volume driver ${m.VolumeOptions.DriverConfig.Name} is not supported`);
      if (m.Source && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(m.Source))
        throw invalid(`${where}: invalid volume name "${m.Source}"`);
      return {
        Type: 'volume',
        Name: m.Source ?? '',
        Source: '',
        Driver: 'local',
        Destination: destination,
        Mode: 'z',
        RW: rw,
        Propagation: '',
        Anonymous: !m.Source,
        ...(m.VolumeOptions?.NoCopy ? { NoCopy: true } : {}),
        createVolume: {
          ...(m.Source ? { name: m.Source } : {}),
          ...(m.VolumeOptions?.Labels ? { labels: m.VolumeOptions.Labels } : {}),
        },
      };
    }
    case 'tmpfs': {
      if (m.Source) throw invalid(`${where}: field Source must not be specified`);
      const options = ['nosuid', 'nodev', 'noexec'];
      if (m.TmpfsOptions?.SizeBytes) options.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode) options.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      for (const [k, v] of m.TmpfsOptions?.Options ?? []) options.push(v === undefined ? k! : `${k}=${v}`);
      if (!rw) options.push('ro');
      return {
        Type: 'tmpfs',
        Source: 'tmpfs',
        Destination: destination,
        Mode: '',
        RW: rw,
        Propagation: '',
        Options: options,
      };
    }
    default:
      throw invalid(`${where}: mount type "${m.Type}" is not supported by berth`);
  }
}

function parseTmpfs(dest: string, opts: string): Planned {
  const destination = cleanDest(dest, dest);
  const user = opts === '' ? [] : opts.split(',');
  const options = ['nosuid', 'nodev', 'noexec', ...user];
  return {
    Type: 'tmpfs',
    Source: 'tmpfs',
    Destination: destination,
    Mode: opts,
    RW: !user.includes('ro'),
    Propagation: '',
    Options: options,
  };
}

/**
 * Plans the mount points, then (only when all are valid) creates missing volumes and bind sources.
 * `imageVolumes` are the image config's Volumes (plus Config.Volumes): anonymous volumes unless
 * something else is mounted there.
 */
export function resolveMountPoints(
  host: HostConfig,
  declaredVolumes: string[],
  volumes: VolumeStore,
): MountPoint[] {
  const planned: Planned[] = [];
  for (const b of host.Binds ?? []) planned.push(parseBind(b));
  for (const m of host.Mounts ?? []) planned.push(parseMount(m));
  for (const [dest, opts] of Object.entries(host.Tmpfs ?? {})) planned.push(parseTmpfs(dest, opts));
  const seen = new Set<string>();
  for (const p of planned) {
    if (seen.has(p.Destination)) throw invalid(`Duplicate mount point: ${p.Destination}`);
    seen.add(p.Destination);
  }
  for (const v of declaredVolumes) {
    const destination = cleanDest(v, v);
    if (seen.has(destination)) continue;
    seen.add(destination);
    planned.push({
      Type: 'volume',
      Name: '',
      Source: '',
      Driver: 'local',
      Destination: destination,
      Mode: '',
      RW: true,
      Propagation: '',
      Anonymous: true,
      createVolume: {},
    });
  }
  // all valid: now make what is missing
  const out: MountPoint[] = [];
  for (const p of planned) {
    const { createVolume, createSource, ...mp } = p;
    if (createVolume) {
      const { volume } = volumes.create({
        name: createVolume.name ?? null,
        labels: createVolume.labels ?? null,
        anonymous: !createVolume.name,
      });
      mp.Name = volume.Name;
      mp.Source = volume.Mountpoint;
      if (!createVolume.name) mp.Anonymous = true;
    } else if (createSource && !existsSync(mp.Source)) {
      mkdirSync(mp.Source, { recursive: true, mode: 0o755 });
    }
    out.push(mp);
  }
  return out;
}
