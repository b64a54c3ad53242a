// The eight namespace kinds: their OCI names, clone(2) flags and /proc/<pid>/ns file names.
import { constants } from '@berth/native';
import { NamespaceError } from './errors.js';

/** Namespace kinds by their OCI runtime-spec names. */
export const NAMESPACE_KINDS = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

interface KindInfo {
  /** CLONE_NEW* */
  flag: number;
  /** file name under /proc/<pid>/ns */
  proc: string;
}

export const NAMESPACE_INFO: Readonly<Record<NamespaceKind, KindInfo>> = Object.freeze({
  pid: { flag: constants.CLONE_NEWPID, proc: 'pid' },
  network: { flag: constants.CLONE_NEWNET, proc: 'net' },
  mount: { flag: constants.CLONE_NEWNS, proc: 'mnt' },
  ipc: { flag: constants.CLONE_NEWIPC, proc: 'ipc' },
  uts: { flag: constants.CLONE_NEWUTS, proc: 'uts' },
  user: { flag: constants.CLONE_NEWUSER, proc: 'user' },
  cgroup: { flag: constants.CLONE_NEWCGROUP, proc: 'cgroup' },
  time: { flag: constants.CLONE_NEWTIME, proc: 'time' },
});

export function isNamespaceKind(s: string): s is NamespaceKind {
  return (NAMESPACE_KINDS as readonly string[]).includes(s);
}

/** The CLONE_NEW* flag of a kind. */
export function namespaceFlag(kind: NamespaceKind): number {
  return NAMESPACE_INFO[kind].flag;
}

/** OR of the flags of several kinds. */
export function namespaceFlags(kinds: Iterable<NamespaceKind>): number {
  let flags = 0;
  for (const k of kinds) flags |= NAMESPACE_INFO[k].flag;
  return flags;
}

/** The kinds whose flags are set in `flags`. */
export function kindsFromFlags(flags: number): NamespaceKind[] {
  return NAMESPACE_KINDS.filter((k) => (flags & NAMESPACE_INFO[k].flag) !== 0);
}

/** Parses a kind name; accepts the /proc names too ('net', 'mnt'). */
export function parseNamespaceKind(s: string, where?: string): NamespaceKind {
  if (isNamespaceKind(s)) return s;
  const byProc = NAMESPACE_KINDS.find((k) => NAMESPACE_INFO[k].proc === s);
  if (byProc) return byProc;
  throw new NamespaceError(`unknown namespace type ${JSON.stringify(s)}`, where);
}
