// User-namespace id mappings: validation, the uid_map/gid_map text, and writing them for a process
// (directly as root; through the setuid newuidmap/newgidmap helpers otherwise).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { NamespaceError } from './errors.js';

const MAX_ID = 2 ** 32 - 1;
/** The kernel accepts at most this many lines in uid_map/gid_map (since Linux 4.15). */
export const MAX_ID_MAP_LINES = 340;

/** One line of a map, with config.json's field names. */
export const IdMapping = z.object({
  containerID: z.number().int().min(0).max(MAX_ID),
  hostID: z.number().int().min(0).max(MAX_ID),
  size: z
    .number()
    .int()
    .min(1)
    .max(2 ** 32),
});
export type IdMapping = z.infer<typeof IdMapping>;

function overlaps(a: { start: number; size: number }, b: { start: number; size: number }): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size;
}

/**
 * Checks a uid or gid map the way the kernel will: each range fits in 32 bits, no two ranges
 * overlap on either side, at most 340 lines. Throws NamespaceError naming the bad entry.
 */
export function validateIdMappings(maps: readonly IdMapping[], where = 'mappings'): IdMapping[] {
  const parsed = z.array(IdMapping).safeParse(maps);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NamespaceError(issue.message, `${where}${issue.path.map((p) => `[${String(p)}]`).join('')}`);
  }
  const list = parsed.data;
  if (list.length > MAX_ID_MAP_LINES) throw new NamespaceError(`more than ${MAX_ID_MAP_LINES} ranges`, where);
  list.forEach((m, i) => {
    if (m.containerID + m.size - 1 > MAX_ID)
      throw new NamespaceError('container range passes 2^32', `${where}[${i}]`);
    if (m.hostID + m.size - 1 > MAX_ID) throw new NamespaceError('host range passes 2^32', `${where}[${i}]`);
    for (let j = 0; j < i; j++) {
      const o = list[j]!;
      if (overlaps({ start: m.containerID, size: m.size }, { start: o.containerID, size: o.size }))
        throw new NamespaceError(`container range overlaps ${where}[${j}]`, `${where}[${i}]`);
      if (overlaps({ start: m.hostID, size: m.size }, { start: o.hostID, size: o.size }))
        throw new NamespaceError(`host range overlaps ${where}[${j}]`, `${where}[${i}]`);
    }
  });
  return list;
}

/** The text written to /proc/<pid>/uid_map: one "inside outside count" line per range. */
export function formatIdMap(maps: readonly IdMapping[]): string {
  return maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');
}

/** Parses /proc/<pid>/uid_map (or gid_map) text back into mappings. */
export function parseIdMap(text: string): IdMapping[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [c, h, s] = l.split(/\s+/).map(Number);
      return { containerID: c!, hostID: h!, size: s! };
    });
}

/** The host id a container id maps to, or null when the maps leave it unmapped. */
export function mapToHost(maps: readonly IdMapping[], id: number): number | null {
  for (const m of maps)
    if (id >= m.containerID && id < m.containerID + m.size) return m.hostID + (id - m.containerID);
  return null;
}

export interface WriteIdMappingsOptions {
  uidMappings: readonly IdMapping[];
  gidMappings: readonly IdMapping[];
  /** write 'deny' to /proc/<pid>/setgroups first (required for unprivileged gid maps without newgidmap) */
  denySetgroups?: boolean;
  /** use newuidmap/newgidmap even as root (default: only when not root) */
  useHelpers?: boolean;
}

function helperArgs(pid: number, maps: readonly IdMapping[]): string[] {
  return [String(pid), ...maps.flatMap((m) => [String(m.containerID), String(m.hostID), String(m.size)])];
}

/**
 * Writes the uid and gid maps of a process that has just made a user namespace. As root the
 * files are written directly; an unprivileged caller goes through shadow's newuidmap/newgidmap,
 * which check /etc/subuid and /etc/subgid.
 */
export function writeIdMappings(pid: number, opts: WriteIdMappingsOptions): void {
  const uids = validateIdMappings(opts.uidMappings, 'uidMappings');
  const gids = validateIdMappings(opts.gidMappings, 'gidMappings');
  const helpers = opts.useHelpers ?? process.getuid?.() !== 0;
  if (helpers) {
    execFileSync('newuidmap', helperArgs(pid, uids), { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('newgidmap', helperArgs(pid, gids), { stdio: ['ignore', 'ignore', 'pipe'] });
    return;
  }
  if (opts.denySetgroups) writeFileSync(`/proc/${pid}/setgroups`, 'deny');
  writeFileSync(`/proc/${pid}/uid_map`, formatIdMap(uids));
  writeFileSync(`/proc/${pid}/gid_map`, formatIdMap(gids));
}

/**
 * An `afterClone` hook for @berth/native's createContainer that writes the maps of the child's new
 * user namespace with writeIdMappings (newuidmap/newgidmap when not root). Use it instead of the
 * plan's uidMap/gidMap for rootless containers.
 */
export function idMappingHook(opts: WriteIdMappingsOptions): (pid: number) => void {
  validateIdMappings(opts.uidMappings, 'uidMappings');
  validateIdMappings(opts.gidMappings, 'gidMappings');
  return (pid) => writeIdMappings(pid, opts);
}
