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

/** Options that need mount_setattr(2) (recursive attributes, idmapped mounts): not carried out yet. */
const UNSUPPORTED =
  /^(r(ro|rw|nosuid|suid|nodev|dev|noexec|exec|noatime|atime|relatime|norelatime|strictatime|nostrictatime|nodiratime|diratime|nosymfollow|symfollow)|idmap|ridmap|tmpcopyup)$/;

export interface ParsedMountOptions {
  flags: number;
  propagation: number;
  /** comma-joined filesystem options */
  data: string;
}

/** Parses one mount's options; `where` is its JSON path for errors ('mounts[3].options'). */
export function parseMountOptions(options: readonly string[], where: string): ParsedMountOptions {
  let flags = 0;
  let propagation = 0;
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
    if (UNSUPPORTED.test(opt))
      throw specError(`${where}[${i}]`, `mount option ${JSON.stringify(opt)} is not supported yet`);
    data.push(opt);
  });
  return { flags, propagation, data: data.join(',') };
}
