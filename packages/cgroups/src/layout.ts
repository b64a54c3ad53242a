import { readFileSync } from 'node:fs';
import { CgroupError } from './errors.js';

/** v1 controllers this package knows (other options of a cgroup mount are mount flags). */
export const V1_CONTROLLERS = [
  'cpu',
  'cpuacct',
  'cpuset',
  'memory',
  'devices',
  'freezer',
  'blkio',
  'pids',
  'hugetlb',
  'net_cls',
  'net_prio',
  'perf_event',
  'rdma',
  'misc',
] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  /** The directory of the filesystem that is mounted (a cgroup path for cgroupfs). */
  root: string;
  mountPoint: string;
  fsType: string;
  source: string;
  superOptions: string[];
}

/** One v1 hierarchy: where it is mounted and which controllers it carries (cpu and cpuacct may share one). */
export interface V1Hierarchy {
  mountPoint: string;
  root: string;
  controllers: V1Controller[];
}

/**
 * The host's cgroup layout.
 * - `unified`: pure cgroup v2 (`/sys/fs/cgroup` is cgroup2).
 * - `legacy`: v1 hierarchies only.
 * - `hybrid`: v1 hierarchies plus a cgroup2 mount (usually without controllers, e.g. /sys/fs/cgroup/unified).
 */
export type CgroupLayout =
  | { kind: 'unified'; unified: { mountPoint: string; root: string } }
  | { kind: 'legacy'; v1: Partial<Record<V1Controller, V1Hierarchy>> }
  | {
      kind: 'hybrid';
      v1: Partial<Record<V1Controller, V1Hierarchy>>;
      unified: { mountPoint: string; root: string };
    };

// mountinfo escapes space, tab, newline and backslash as \ooo octal.
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** Parses /proc/<pid>/mountinfo (proc(5)); lines that do not parse are skipped. */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    if (left.length < 6 || right.length < 3) continue;
    out.push({
      mountId: Number(left[0]),
      parentId: Number(left[1]),
      root: unescapeMountPath(left[3]!),
      mountPoint: unescapeMountPath(left[4]!),
      fsType: right[0]!,
      source: unescapeMountPath(right[1]!),
      superOptions: right[2]!.split(','),
    });
  }
  return out;
}

/** Finds the cgroup layout in mountinfo text (default: /proc/self/mountinfo). Later mounts shadow earlier ones. */
export function detectLayout(mountInfo?: string): CgroupLayout {
  const text = mountInfo ?? readFileSync('/proc/self/mountinfo', 'utf8');
  const known = new Set<string>(V1_CONTROLLERS);
  const v1: Partial<Record<V1Controller, V1Hierarchy>> = {};
  let unified: { mountPoint: string; root: string } | undefined;
  let haveV1 = false;
  for (const m of parseMountInfo(text)) {
    if (m.fsType === 'cgroup2') {
      // With several cgroup2 mounts, the canonical one is /sys/fs/cgroup (pure v2) or .../unified (hybrid).
      if (!unified || m.mountPoint === '/sys/fs/cgroup' || unified.mountPoint !== '/sys/fs/cgroup') {
        unified = { mountPoint: m.mountPoint, root: m.root };
      }
    } else if (m.fsType === 'cgroup') {
      const controllers = m.superOptions.filter((o): o is V1Controller => known.has(o));
      if (controllers.length === 0) continue; // name=systemd and other named hierarchies carry no controller
      haveV1 = true;
      const h: V1Hierarchy = { mountPoint: m.mountPoint, root: m.root, controllers };
      for (const c of controllers) if (!v1[c]) v1[c] = h;
    }
  }
  if (haveV1 && unified) return { kind: 'hybrid', v1, unified };
  if (haveV1) return { kind: 'legacy', v1 };
  if (unified) return { kind: 'unified', unified };
  throw new CgroupError(
    'ECGROUPLAYOUT',
    'no cgroup or cgroup2 filesystem is mounted (see /proc/self/mountinfo)',
  );
}

/** /proc/<pid>/cgroup: v1 controller (or `name=x`) → path, and `''` → the v2 path. */
export function parseProcCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const path = line.slice(b + 1);
    const ctrls = line.slice(a + 1, b);
    if (ctrls === '') out.set('', path);
    else for (const c of ctrls.split(',')) out.set(c, path);
  }
  return out;
}

/** The cgroup paths of a process (default: this one), parsed from /proc/<pid>/cgroup. */
export function ownCgroups(pid: number | 'self' = 'self'): Map<string, string> {
  return parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
}
