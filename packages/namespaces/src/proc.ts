// Reading a process's namespaces from /proc/<pid>/ns.
import { readlinkSync } from 'node:fs';
import { NAMESPACE_INFO, NAMESPACE_KINDS, type NamespaceKind } from './kinds.js';

export interface NamespaceRef {
  kind: NamespaceKind;
  /** the nsfs inode number: two processes share a namespace exactly when these are equal */
  inode: number;
  /** /proc/<pid>/ns/<name>, usable with setns or as a join path in a plan */
  path: string;
}

/** /proc path of a process's namespace file ('self' and 'thread-self' work too). */
export function namespacePath(pid: number | 'self' | 'thread-self', kind: NamespaceKind): string {
  return `/proc/${pid}/ns/${NAMESPACE_INFO[kind].proc}`;
}

/** Parses an nsfs link target such as 'net:[4026531840]'. */
export function parseNamespaceLink(link: string): { name: string; inode: number } | null {
  const m = /^([a-z_]+):\[(\d+)\]$/.exec(link);
  return m ? { name: m[1]!, inode: Number(m[2]) } : null;
}

/** The namespace of one kind of a process, or null when the kernel lacks that kind. */
export function readNamespace(
  pid: number | 'self' | 'thread-self',
  kind: NamespaceKind,
): NamespaceRef | null {
  const path = namespacePath(pid, kind);
  let link: string;
  try {
    link = readlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const parsed = parseNamespaceLink(link);
  return parsed ? { kind, inode: parsed.inode, path } : null;
}

/** All namespaces of a process, by kind (kinds the kernel lacks are left out). */
export function readNamespaces(
  pid: number | 'self' | 'thread-self' = 'self',
): Partial<Record<NamespaceKind, NamespaceRef>> {
  const out: Partial<Record<NamespaceKind, NamespaceRef>> = {};
  for (const kind of NAMESPACE_KINDS) {
    const ref = readNamespace(pid, kind);
    if (ref) out[kind] = ref;
  }
  return out;
}

/** Whether two processes share the namespace of a kind. */
export function sameNamespace(a: number | 'self', b: number | 'self', kind: NamespaceKind): boolean {
  const x = readNamespace(a, kind);
  const y = readNamespace(b, kind);
  return x !== null && y !== null && x.inode === y.inode;
}
