// config.json `mounts` -> the engine's mount list: targets resolved under the rootfs, bind sources
// resolved against the bundle, option words to flags/propagation/data, and runc's substitutions
// where a filesystem cannot be mounted from inside the container's namespaces.
import { statSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { constants as C, type PlanMount as PlanMountSchema } from '@berth/native';
import type { z } from 'zod';
import { specError } from './errors.js';
import { parseMountOptions } from './mount-options.js';
import { secureJoin } from './securejoin.js';
import type { Mount } from './spec.js';

/** A cgroup v1 hierarchy the container's cgroup lives in: what a `cgroup` mount shows. */
export interface CgroupMountSource {
  /** the hierarchy's directory name under /sys/fs/cgroup ('cpu,cpuacct', 'memory'); '' for cgroup v2 */
  name: string;
  /** the container's cgroup directory on the host */
  hostDir: string;
}

export interface MountPlanOptions {
  bundle: string;
  rootfs: string;
  /** the container gets its own network namespace (else sysfs is bind-mounted, as runc does) */
  netNamespace: boolean;
  /** its own IPC namespace (else mqueue is bind-mounted) */
  ipcNamespace: boolean;
  /** for `cgroup` mounts on a v1 host: the container's cgroup in each hierarchy */
  cgroupSources?: readonly CgroupMountSource[];
  /** the container has (or joins) a user namespace, whose maps an `idmap` mount without its own uses */
  userNamespace?: boolean;
}

/** A mount as the plan takes it (optional fields may be left out). */
type PlanMount = z.input<typeof PlanMountSchema>;

export interface MountPlan {
  mounts: PlanMount[];
  symlinks: { target: string; path: string }[];
}

function isBind(m: Mount): boolean {
  return m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
}

export function planMounts(mounts: readonly Mount[] | undefined, opts: MountPlanOptions): MountPlan {
  const out: MountPlan = { mounts: [], symlinks: [] };
  (mounts ?? []).forEach((m, i) => {
    const where = `mounts[${i}]`;
    if (!posix.isAbsolute(m.destination)) throw specError(`${where}.destination`, 'must be an absolute path');
    const target = secureJoin(opts.rootfs, m.destination);
    const parsed = parseMountOptions(m.options ?? [], `${where}.options`);
    const idmap = planIdmap(m, parsed.idmapRecursive, where, opts.userNamespace ?? false);
    const first = out.mounts.length;
    planOne(m, i, target, parsed, idmap, opts, out);
    if (parsed.attrSet || parsed.attrClr)
      for (const pm of out.mounts.slice(first)) {
        pm.attrSet = parsed.attrSet;
        pm.attrClr = parsed.attrClr;
      }
  });
  return out;
}

type PlanIdmap = NonNullable<PlanMount['idmap']>;

function mapLines(maps: readonly { containerID: number; hostID: number; size: number }[]): string {
  // as runc writes them: an on-disk id `containerID` shows as `hostID` through the mount
  return maps.map((x) => `${x.containerID} ${x.hostID} ${x.size}\n`).join('');
}

/** The `idmap`/`ridmap` options and a mount's uidMappings/gidMappings → the engine's idmap. */
function planIdmap(
  m: Mount,
  recursive: boolean | undefined,
  where: string,
  userNamespace: boolean,
): PlanIdmap | undefined {
  const own = m.uidMappings !== undefined || m.gidMappings !== undefined;
  if (recursive === undefined) {
    if (own) throw specError(`${where}.uidMappings`, 'mount mappings need the "idmap" or "ridmap" option');
    return undefined;
  }
  if (!isBind(m)) throw specError(`${where}.options`, 'idmapped mounts must be bind mounts');
  if (own) {
    if (!m.uidMappings?.length || !m.gidMappings?.length)
      throw specError(`${where}.uidMappings`, 'an idmapped mount needs both uidMappings and gidMappings');
    return { recursive, uidMap: mapLines(m.uidMappings), gidMap: mapLines(m.gidMappings) };
  }
  if (!userNamespace)
    throw specError(
      `${where}.options`,
      'an idmapped mount without its own uidMappings/gidMappings needs a user namespace in the container',
    );
  return { recursive, uidMap: '', gidMap: '' };
}

function planOne(
  m: Mount,
  i: number,
  target: string,
  parsed: ReturnType<typeof parseMountOptions>,
  idmap: PlanIdmap | undefined,
  opts: MountPlanOptions,
  out: MountPlan,
): void {
  const where = `mounts[${i}]`;
  {
    if (isBind(m)) {
      if (!m.source) throw specError(`${where}.source`, 'a bind mount needs a source');
      const source = isAbsolute(m.source) ? m.source : join(opts.bundle, m.source);
      let file = false;
      try {
        file = !statSync(source).isDirectory();
      } catch (e) {
        throw specError(
          `${where}.source`,
          `${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      out.mounts.push({
        source,
        target,
        fstype: '',
        flags: parsed.flags | C.MS_BIND,
        propagation: parsed.propagation,
        data: parsed.data,
        file,
        ...(idmap ? { idmap } : {}),
      });
      return;
    }
    const type = m.type ?? '';
    if (type === 'sysfs' && !opts.netNamespace) {
      // sysfs can only be mounted by the owner of the network namespace: show the host's, read-only
      out.mounts.push({
        source: '/sys',
        target,
        fstype: '',
        flags: C.MS_BIND | C.MS_REC | parsed.flags,
        propagation: parsed.propagation,
        data: '',
        file: false,
      });
      return;
    }
    if (type === 'mqueue' && !opts.ipcNamespace) {
      out.mounts.push({
        source: '/dev/mqueue',
        target,
        fstype: '',
        flags: C.MS_BIND | parsed.flags,
        propagation: parsed.propagation,
        data: '',
        file: false,
      });
      return;
    }
    if (type === 'cgroup') {
      planCgroupMount(target, parsed.flags, opts.cgroupSources ?? [], out);
      return;
    }
    if (!type) throw specError(`${where}.type`, 'a non-bind mount needs a type');
    out.mounts.push({
      source: m.source ?? type,
      target,
      fstype: type,
      flags: parsed.flags,
      propagation: parsed.propagation,
      data: parsed.data,
      file: false,
    });
  }
}

/**
 * cgroup v1 (runc's way without a cgroup namespace): a tmpfs at the destination and, under it, a
 * bind of the container's own cgroup directory of each hierarchy (read-only when asked), plus
 * `cpu -> cpu,cpuacct` style links for the joined hierarchies.
 */
function planCgroupMount(
  target: string,
  flags: number,
  sources: readonly CgroupMountSource[],
  out: MountPlan,
): void {
  const only = sources[0];
  if (sources.length === 1 && only && only.name === '') {
    // cgroup v2: one hierarchy, so the container's own directory is bound at the target itself
    out.mounts.push({
      source: only.hostDir,
      target,
      fstype: '',
      flags: C.MS_BIND | C.MS_REC | flags,
      propagation: 0,
      data: '',
      file: false,
    });
    return;
  }
  const keep = flags & (C.MS_NOSUID | C.MS_NODEV | C.MS_NOEXEC);
  out.mounts.push({
    source: 'tmpfs',
    target,
    fstype: 'tmpfs',
    flags: keep,
    propagation: 0,
    data: 'mode=755',
    file: false,
  });
  for (const s of sources) {
    out.mounts.push({
      source: s.hostDir,
      target: posix.join(target, s.name),
      fstype: '',
      flags: C.MS_BIND | C.MS_REC | flags,
      propagation: 0,
      data: '',
      file: false,
    });
    if (s.name.includes(','))
      for (const part of s.name.split(','))
        if (part !== s.name) out.symlinks.push({ target: s.name, path: posix.join(target, part) });
  }
}
