// config.json mount options -> MS_* flags, propagation and data, with runc's table: a known flag
// word sets or clears a bit, a propagation word goes to the propagation mount, anything else is
// filesystem data ("size=64m", "mode=755", "newinstance").
import { constants as C } from '@berth/native';
import { specError } from './errors.js';

interface FlagWord {
  clear: boolean;
  flag: number;
}

const FLAGS: Record<string, FlagWord> = {
  acl: { clear: false, flag: C.MS_POSIXACL },
  async: { clear: true, flag: C.MS_SYNCHRONOUS },
  atime: { clear: true, flag: C.MS_NOATIME },
  bind: { clear: false, flag: C.MS_BIND },
  defaults: { clear: false, flag: 0 },
  dev: { clear: true, flag: C.MS_NODEV },
  diratime: { clear: true, flag: C.MS_NODIRATIME },
  dirsync: { clear: false, flag: C.MS_DIRSYNC },
  exec: { clear: true, flag: C.MS_NOEXEC },
  iversion: { clear: false, flag: 1 << 23 }, // MS_I_VERSION
  lazytime: { clear: false, flag: C.MS_LAZYTIME },
  loud: { clear: true, flag: C.MS_SILENT },
  mand: { clear: false, flag: C.MS_MANDLOCK },
  noacl: { clear: true, flag: C.MS_POSIXACL },
  noatime: { clear: false, flag: C.MS_NOATIME },
  nodev: { clear: false, flag: C.MS_NODEV },
  nodiratime: { clear: false, flag: C.MS_NODIRATIME },
  noexec: { clear: false, flag: C.MS_NOEXEC },
  noiversion: { clear: true, flag: 1 << 23 },
  nolazytime: { clear: true, flag: C.MS_LAZYTIME },
  nomand: { clear: true, flag: C.MS_MANDLOCK },
  norelatime: { clear: true, flag: C.MS_RELATIME },
  nostrictatime: { clear: true, flag: C.MS_STRICTATIME },
  nosuid: { clear: false, flag: C.MS_NOSUID },
  nosymfollow: { clear: false, flag: C.MS_NOSYMFOLLOW },
  rbind: { clear: false, flag: C.MS_BIND | C.MS_REC },
  relatime: { clear: false, flag: C.MS_RELATIME },
  remount: { clear: false, flag: C.MS_REMOUNT },
  ro: { clear: false, flag: C.MS_RDONLY },
  rw: { clear: true, flag: C.MS_RDONLY },
  silent: { clear: false, flag: C.MS_SILENT },
  strictatime: { clear: false, flag: C.MS_STRICTATIME },
  suid: { clear: true, flag: C.MS_NOSUID },
  sync: { clear: false, flag: C.MS_SYNCHRONOUS },
};

export const PROPAGATION: Record<string, number> = {
  private: C.MS_PRIVATE,
  rprivate: C.MS_PRIVATE | C.MS_REC,
  shared: C.MS_SHARED,
  rshared: C.MS_SHARED | C.MS_REC,
  slave: C.MS_SLAVE,
  rslave: C.MS_SLAVE | C.MS_REC,
  unbindable: C.MS_UNBINDABLE,
  runbindable: C.MS_UNBINDABLE | C.MS_REC,
};

// linux/mount.h MOUNT_ATTR_* values the addon does not export (atime modes live in a 3-bit field).
const ATTR_ATIME_MASK = 0x70;
const ATTR_NOATIME = 0x10;
const ATTR_STRICTATIME = 0x20;
const ATTR_NODIRATIME = 0x80;

interface AttrWord {
  set: number;
  clr: number;
}

/** Recursive attributes, applied by mount_setattr(AT_RECURSIVE) to the whole mounted tree (runc's
 * "r" words). An atime word replaces the whole atime mode: the kernel takes the mask in attr_clr;
 * ratime/rnorelatime/rnostrictatime go back to relatime, the kernel's default. */
export const RECURSIVE_ATTRIBUTES: Record<string, AttrWord> = {
  rro: { set: C.MOUNT_ATTR_RDONLY, clr: 0 },
  rrw: { set: 0, clr: C.MOUNT_ATTR_RDONLY },
  rnosuid: { set: C.MOUNT_ATTR_NOSUID, clr: 0 },
  rsuid: { set: 0, clr: C.MOUNT_ATTR_NOSUID },
  rnodev: { set: C.MOUNT_ATTR_NODEV, clr: 0 },
  rdev: { set: 0, clr: C.MOUNT_ATTR_NODEV },
  rnoexec: { set: C.MOUNT_ATTR_NOEXEC, clr: 0 },
  rexec: { set: 0, clr: C.MOUNT_ATTR_NOEXEC },
  rnodiratime: { set: ATTR_NODIRATIME, clr: 0 },
  rdiratime: { set: 0, clr: ATTR_NODIRATIME },
  rnosymfollow: { set: C.MOUNT_ATTR_NOSYMFOLLOW, clr: 0 },
  rsymfollow: { set: 0, clr: C.MOUNT_ATTR_NOSYMFOLLOW },
  rnoatime: { set: ATTR_NOATIME, clr: ATTR_ATIME_MASK },
  rstrictatime: { set: ATTR_STRICTATIME, clr: ATTR_ATIME_MASK },
  rrelatime: { set: 0, clr: ATTR_ATIME_MASK },
  ratime: { set: 0, clr: ATTR_ATIME_MASK },
  rnorelatime: { set: 0, clr: ATTR_ATIME_MASK },
  rnostrictatime: { set: 0, clr: ATTR_ATIME_MASK },
};

/** Options berth does not carry out (tmpcopyup: copying a directory's content into a new tmpfs). */
const UNSUPPORTED = /^tmpcopyup$/;

export interface ParsedMountOptions {
  flags: number;
  propagation: number;
  /** comma-joined filesystem options */
  data: string;
  /** MOUNT_ATTR_* set and cleared recursively after mounting (the "r" words) */
  attrSet: number;
  attrClr: number;
  /** idmap (false), ridmap (true) or neither (undefined) */
  idmapRecursive?: boolean;
}

/** Parses one mount's options; `where` is its JSON path for errors ('mounts[3].options'). */
export function parseMountOptions(options: readonly string[], where: string): ParsedMountOptions {
  let flags = 0;
  let propagation = 0;
  let attrSet = 0;
  let attrClr = 0;
  let idmapRecursive: boolean | undefined;
  const data: string[] = [];
  options.forEach((opt, i) => {
    const f = FLAGS[opt];
    if (f) {
      flags = f.clear ? flags & ~f.flag : flags | f.flag;
      return;
    }
    const p = PROPAGATION[opt];
    if (p !== undefined) {
      // the last propagation word wins, as in runc
      propagation = p;
      return;
    }
    const a = RECURSIVE_ATTRIBUTES[opt];
    if (a) {
      // a later word wins over an earlier one for the same bits
      attrSet = (attrSet & ~(a.set | a.clr)) | a.set;
      attrClr = (attrClr & ~(a.set | a.clr)) | a.clr;
      return;
    }
    if (opt === 'idmap' || opt === 'ridmap') {
      idmapRecursive = opt === 'ridmap';
      return;
    }
    if (UNSUPPORTED.test(opt))
      throw specError(`${where}[${i}]`, `mount option ${JSON.stringify(opt)} is not supported yet`);
    data.push(opt);
  });
  const parsed: ParsedMountOptions = { flags, propagation, data: data.join(','), attrSet, attrClr };
  if (idmapRecursive !== undefined) parsed.idmapRecursive = idmapRecursive;
  return parsed;
}
