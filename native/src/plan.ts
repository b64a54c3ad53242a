// The init plan: a flat, fully resolved description of one container process, computed in
// TypeScript and handed to the C engine as bytes.
//
// Why a binary wire format (see engine/plan.h): the same bytes must reach the future shim, a small
// C program that will run the clone itself. Length-prefixed records of u64s and NUL-terminated
// strings decode in C with a bounds-checked walk and no parser library, into pointers that stay
// valid in the child (the child's memory is a copy taken at clone). JSON would need a C JSON
// parser in both places; a C struct image would break on every field change. Unknown ops are
// refused by the decoder, so an old engine never silently skips a new security step.
import { z } from 'zod';

/** MS_BIND (linux/fs.h), so this module does not need the addon loaded to encode a plan. */
const MS_BIND = 4096;
/** BERTH_MAX_IDMAPS (engine/plan.h): their fds travel to the child in one SCM_RIGHTS message. */
const MAX_IDMAPS = 32;

const u64 = z.union([z.number().int().min(0), z.bigint().min(0n)]);
const fd = z.number().int().min(-1);

export const PlanMount = z.object({
  /** host path of the source (bind mounts) or a device/name for the filesystem */
  source: z.string().default(''),
  /** absolute host path of the target, already resolved under the rootfs */
  target: z.string().startsWith('/'),
  fstype: z.string().default(''),
  /** MS_* flags; MS_BIND with other flags is done as bind + remount */
  flags: z.number().int().min(0).default(0),
  /** MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (| MS_REC) applied after the mount, or 0 */
  propagation: z.number().int().min(0).default(0),
  data: z.string().default(''),
  /** create the target as a file (bind mount of a file) */
  file: z.boolean().default(false),
  /** MOUNT_ATTR_* bits set and cleared on the whole mounted tree (rro, rnosuid, ...) */
  attrSet: z.number().int().min(0).default(0),
  attrClr: z.number().int().min(0).default(0),
  /** make this bind mount idmapped: with the mount's own maps, or (maps omitted) the container's */
  idmap: z
    .object({
      recursive: z.boolean().default(false),
      uidMap: z.string().default(''),
      gidMap: z.string().default(''),
    })
    .optional(),
});
export type PlanMount = z.infer<typeof PlanMount>;

/** A createContainer hook the child runs after the mounts, before pivot_root. */
export const PlanHook = z.object({
  path: z.string().startsWith('/'),
  /** argv, args[0] included (at least one) */
  args: z.array(z.string()).min(1).max(256),
  env: z.array(z.string()).max(256).default([]),
  /** seconds; 0 = no timeout */
  timeout: z.number().int().min(0).default(0),
  /** the state JSON around its pid, which the child fills in with its own */
  stateHead: z.string(),
  stateTail: z.string(),
});
export type PlanHook = z.infer<typeof PlanHook>;

/**
 * An OCI prestart or createRuntime hook the engine's parent runs in the caller's namespaces once the
 * child exists (namespaces, id maps, cgroup), before it sets anything up: for a caller that cannot
 * run them itself in afterClone (the shim). The state gets the child's host pid.
 */
export const PlanRuntimeHook = PlanHook.extend({
  kind: z.enum(['prestart', 'createRuntime']),
  /** its position among the hooks of its kind (for messages: "prestart hook 1 (/x) failed") */
  index: z.number().int().min(0),
});
export type PlanRuntimeHook = z.infer<typeof PlanRuntimeHook>;

export const PlanDevice = z.object({
  /** absolute host path under the rootfs */
  path: z.string().startsWith('/'),
  /** S_IFCHR/S_IFBLK/S_IFIFO | permission bits */
  mode: z.number().int().min(0),
  major: z.number().int().min(0).default(0),
  minor: z.number().int().min(0).default(0),
  uid: z.number().int().min(0).default(0),
  gid: z.number().int().min(0).default(0),
  /** bind-mount this host device instead of mknod (user namespaces cannot mknod) */
  bindFrom: z.string().optional(),
});
export type PlanDevice = z.infer<typeof PlanDevice>;

export const PlanJoin = z.object({ nstype: z.number().int().positive(), path: z.string() });
export type PlanJoin = z.infer<typeof PlanJoin>;

export const PlanRlimit = z.object({ resource: z.number().int().min(0), soft: u64, hard: u64 });
export type PlanRlimit = z.infer<typeof PlanRlimit>;

export const PlanCapabilities = z.object({
  bounding: z.bigint().default(0n),
  effective: z.bigint().default(0n),
  permitted: z.bigint().default(0n),
  inheritable: z.bigint().default(0n),
  ambient: z.bigint().default(0n),
});
export type PlanCapabilities = z.infer<typeof PlanCapabilities>;

export const InitPlan = z.object({
  /** CLONE_NEW* flags of the namespaces to create */
  cloneFlags: z.number().int().min(0).default(0),
  /** existing namespaces to join (setns by path), e.g. /proc/<pid>/ns/net or a persistent nsfs file */
  joinNamespaces: z.array(PlanJoin).default([]),
  /** uid_map/gid_map contents written by the parent ("inside outside count" lines) */
  uidMap: z.string().optional(),
  gidMap: z.string().optional(),
  setgroupsDeny: z.boolean().default(false),
  /** cgroup.procs files the parent writes the child's pid to before releasing it */
  cgroupProcs: z.array(z.string()).default([]),
  /** host path of the rootfs; absent: no mount work (exec into a running container) */
  rootfs: z.string().optional(),
  rootfsPropagation: z.number().int().min(0).default(0),
  rootReadonly: z.boolean().default(false),
  noPivot: z.boolean().default(false),
  mounts: z.array(PlanMount).default([]),
  /** OCI createContainer hooks, run in order in the container's namespaces before pivot_root */
  createContainerHooks: z.array(PlanHook).default([]),
  /** OCI prestart then createRuntime hooks, run in order by the engine's parent (see PlanRuntimeHook) */
  runtimeHooks: z.array(PlanRuntimeHook).default([]),
  devices: z.array(PlanDevice).default([]),
  symlinks: z.array(z.object({ target: z.string(), path: z.string() })).default([]),
  maskedPaths: z.array(z.string()).default([]),
  readonlyPaths: z.array(z.string()).default([]),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  /** /proc/sys files and values, written after pivot_root */
  sysctls: z.array(z.object({ path: z.string(), value: z.string() })).default([]),
  rlimits: z.array(PlanRlimit).default([]),
  oomScoreAdj: z.number().int().optional(),
  capabilities: PlanCapabilities.optional(),
  noNewPrivileges: z.boolean().default(false),
  /** a compiled seccomp program (struct sock_filter[]), see seccompCompile */
  seccomp: z.instanceof(Uint8Array).optional(),
  seccompFlags: z.number().int().min(0).default(0),
  /** load the filter with a notify listener and hand its fd to the caller (onSeccompListener) */
  seccompListener: z.boolean().default(false),
  user: z
    .object({
      uid: z.number().int().min(0),
      gid: z.number().int().min(0),
      additionalGids: z.array(z.number()).default([]),
    })
    .optional(),
  cwd: z.string().optional(),
  env: z.array(z.string()).default([]),
  args: z.array(z.string()).min(1),
  stdio: z.tuple([fd, fd, fd]).optional(),
  personality: z.number().int().min(0).optional(),
  /** file mode creation mask of the process (umask(2)); unset keeps the caller's */
  umask: z.number().int().min(0).max(0o777).optional(),
  parentDeathSignal: z.number().int().min(0).optional(),
  setsid: z.boolean().default(false),
  preserveFds: z.number().int().min(0).default(0),
  /** fd of a connected unix socket: the child opens a pty and sends its master over it */
  consoleSocket: z.number().int().min(0).optional(),
  /** the console pty's window size, set before exec (process.consoleSize) */
  consoleSize: z
    .object({ rows: z.number().int().min(1).max(65535), cols: z.number().int().min(1).max(65535) })
    .optional(),
  /** the caller releases the child after its own setup (createContainer's afterClone does this) */
  hold: z.boolean().default(false),
  /** bring lo up in the child's network namespace (a new one from cloneFlags: Docker's none, runc's loopback) */
  loopbackUp: z.boolean().default(false),
  /** offsets of a new time namespace (OCI linux.timeOffsets) */
  timeOffsets: z
    .array(
      z.object({
        clock: z.enum(['monotonic', 'boottime']),
        secs: z.number().int(),
        nanosecs: z.number().int().min(0).max(999_999_999).default(0),
      }),
    )
    .default([]),
});
export type InitPlan = z.infer<typeof InitPlan>;
export type InitPlanInput = z.input<typeof InitPlan>;

/** Record ops; the numbers are engine/plan.h's enum berth_op. */
const Op = {
  CLONE_FLAGS: 1,
  JOIN_NS: 2,
  UID_MAP: 3,
  GID_MAP: 4,
  SETGROUPS_DENY: 5,
  CGROUP_PROCS: 6,
  ROOTFS: 7,
  ROOTFS_PROPAGATION: 8,
  ROOT_READONLY: 9,
  NO_PIVOT: 10,
  MOUNT: 11,
  DEVICE: 12,
  SYMLINK: 13,
  MASK: 14,
  READONLY_PATH: 15,
  HOSTNAME: 16,
  DOMAINNAME: 17,
  SYSCTL: 18,
  RLIMIT: 19,
  OOM_SCORE_ADJ: 20,
  CAPS: 21,
  NO_NEW_PRIVS: 22,
  SECCOMP: 23,
  USER: 24,
  CWD: 25,
  ENV: 26,
  ARGV: 27,
  STDIO: 28,
  PERSONALITY: 29,
  PDEATHSIG: 30,
  SETSID: 31,
  PRESERVE_FDS: 32,
  CONSOLE_SOCKET: 33,
  TIME_OFFSETS: 34,
  HOLD: 35,
  UMASK: 36,
  LOOPBACK_UP: 37,
  MOUNT_ATTR: 40,
  MOUNT_IDMAP: 41,
  HOOK: 42,
  SECCOMP_LISTENER: 43,
  CONSOLE_SIZE: 44,
  RUNTIME_HOOK: 45,
} as const;

const MAGIC = 0x50485442; // "BTHP"
const VERSION = 1;

type Field = number | bigint | string | Uint8Array;

class Writer {
  private chunks: Buffer[] = [];
  private size = 16;

  record(op: number, ...fields: Field[]): void {
    const parts: Buffer[] = [];
    for (const f of fields) {
      if (typeof f === 'string') {
        if (f.includes('\0')) throw new TypeError(`plan string contains NUL: ${JSON.stringify(f)}`);
        parts.push(Buffer.from(`${f}\0`, 'utf8'));
      } else if (f instanceof Uint8Array) {
        parts.push(Buffer.from(f.buffer, f.byteOffset, f.byteLength));
      } else {
        const b = Buffer.alloc(8);
        b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(f)));
        parts.push(b);
      }
    }
    const payload = Buffer.concat(parts);
    const header = Buffer.alloc(8);
    header.writeUInt32LE(op, 0);
    header.writeUInt32LE(payload.length, 4);
    const pad = Buffer.alloc((8 - (payload.length % 8)) % 8);
    this.chunks.push(header, payload, pad);
    this.size += 8 + payload.length + pad.length;
  }

  finish(): Buffer {
    const head = Buffer.alloc(16);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(VERSION, 4);
    head.writeUInt32LE(this.size, 8);
    return Buffer.concat([head, ...this.chunks], this.size);
  }
}

/** Validates a plan and encodes it in the engine's wire format (engine/plan.h). */
export function encodePlan(input: InitPlanInput): Buffer {
  const p = InitPlan.parse(input);
  for (const j of p.joinNamespaces) {
    if ((p.cloneFlags & j.nstype) !== 0)
      throw new TypeError(
        `namespace ${j.nstype.toString(16)} is both created (cloneFlags) and joined (${j.path})`,
      );
  }
  const w = new Writer();
  w.record(Op.CLONE_FLAGS, p.cloneFlags);
  for (const j of p.joinNamespaces) w.record(Op.JOIN_NS, j.nstype, j.path);
  if (p.setgroupsDeny) w.record(Op.SETGROUPS_DENY);
  if (p.uidMap !== undefined) w.record(Op.UID_MAP, p.uidMap);
  if (p.gidMap !== undefined) w.record(Op.GID_MAP, p.gidMap);
  for (const c of p.cgroupProcs) w.record(Op.CGROUP_PROCS, c);
  if (p.rootfs !== undefined) w.record(Op.ROOTFS, p.rootfs);
  if (p.rootfsPropagation) w.record(Op.ROOTFS_PROPAGATION, p.rootfsPropagation);
  if (p.rootReadonly) w.record(Op.ROOT_READONLY);
  if (p.noPivot) w.record(Op.NO_PIVOT);
  const idmaps = p.mounts.filter((m) => m.idmap).length;
  if (idmaps > MAX_IDMAPS)
    throw new TypeError(`${idmaps} idmapped mounts: the engine takes at most ${MAX_IDMAPS}`);
  for (const m of p.mounts) {
    w.record(Op.MOUNT, m.flags, m.propagation, m.file ? 1 : 0, m.source, m.target, m.fstype, m.data);
    if (m.attrSet || m.attrClr) w.record(Op.MOUNT_ATTR, m.attrSet, m.attrClr);
    if (m.idmap) {
      if ((m.flags & MS_BIND) === 0)
        throw new TypeError(`idmapped mount of ${m.target} must be a bind mount`);
      w.record(Op.MOUNT_IDMAP, m.idmap.recursive ? 1 : 0, m.idmap.uidMap, m.idmap.gidMap);
    }
  }
  // a hook's fields, in the order both hook ops decode them after their own leading fields
  const hookFields = (h: (typeof p.createContainerHooks)[number]) =>
    [h.timeout, h.args.length, h.env.length, h.stateHead, h.stateTail, h.path, ...h.args, ...h.env] as const;
  for (const h of p.createContainerHooks) w.record(Op.HOOK, ...hookFields(h));
  for (const h of p.runtimeHooks)
    w.record(Op.RUNTIME_HOOK, h.kind === 'prestart' ? 0 : 1, h.index, ...hookFields(h));
  for (const d of p.devices)
    w.record(Op.DEVICE, d.mode, d.major, d.minor, d.uid, d.gid, d.bindFrom ? 1 : 0, d.path, d.bindFrom ?? '');
  for (const s of p.symlinks) w.record(Op.SYMLINK, s.target, s.path);
  for (const m of p.maskedPaths) w.record(Op.MASK, m);
  for (const r of p.readonlyPaths) w.record(Op.READONLY_PATH, r);
  if (p.hostname !== undefined) w.record(Op.HOSTNAME, p.hostname);
  if (p.domainname !== undefined) w.record(Op.DOMAINNAME, p.domainname);
  for (const s of p.sysctls) w.record(Op.SYSCTL, s.path, s.value);
  for (const r of p.rlimits) w.record(Op.RLIMIT, r.resource, r.soft, r.hard);
  if (p.oomScoreAdj !== undefined) w.record(Op.OOM_SCORE_ADJ, String(p.oomScoreAdj));
  if (p.capabilities) {
    const c = p.capabilities;
    w.record(Op.CAPS, c.bounding, c.effective, c.permitted, c.inheritable, c.ambient);
  }
  if (p.noNewPrivileges) w.record(Op.NO_NEW_PRIVS);
  if (p.seccomp) w.record(Op.SECCOMP, p.seccompFlags, p.seccomp);
  if (p.seccomp && p.seccompListener) w.record(Op.SECCOMP_LISTENER);
  if (p.user)
    w.record(Op.USER, p.user.uid, p.user.gid, p.user.additionalGids.length, ...p.user.additionalGids);
  if (p.cwd !== undefined) w.record(Op.CWD, p.cwd);
  for (const e of p.env) w.record(Op.ENV, e);
  for (const a of p.args) w.record(Op.ARGV, a);
  if (p.stdio) w.record(Op.STDIO, ...p.stdio);
  if (p.personality !== undefined) w.record(Op.PERSONALITY, p.personality);
  if (p.umask !== undefined) w.record(Op.UMASK, p.umask);
  if (p.parentDeathSignal) w.record(Op.PDEATHSIG, p.parentDeathSignal);
  if (p.setsid) w.record(Op.SETSID);
  if (p.preserveFds) w.record(Op.PRESERVE_FDS, p.preserveFds);
  if (p.consoleSocket !== undefined) w.record(Op.CONSOLE_SOCKET, p.consoleSocket);
  if (p.consoleSize) w.record(Op.CONSOLE_SIZE, p.consoleSize.rows, p.consoleSize.cols);
  if (p.hold) w.record(Op.HOLD);
  if (p.loopbackUp) w.record(Op.LOOPBACK_UP);
  if (p.timeOffsets.length > 0)
    w.record(Op.TIME_OFFSETS, p.timeOffsets.map((t) => `${t.clock} ${t.secs} ${t.nanosecs}\n`).join(''));
  return w.finish();
}
