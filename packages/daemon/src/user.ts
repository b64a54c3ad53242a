// `--user` (Config.User: name|uid[:group|gid]) and `--group-add` resolved against the container's
// own /etc/passwd and /etc/group, as Docker does (files read inside the rootfs, symlinks confined).
import { invalid } from './errors.js';

/** Reads a file of the container's filesystem (path absolute in the container); undefined if missing. */
export type RootfsReader = (path: string) => string | undefined;

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

interface Entry {
  name: string;
  id: number;
  gid: number;
  home: string;
  members: string[];
}

function readTable(read: RootfsReader, file: string): Entry[] {
  const text = read(file);
  if (text === undefined) return [];
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split(':');
    const id = Number(f[2]);
    if (!Number.isInteger(id)) continue;
    out.push({
      name: f[0] ?? '',
      id,
      gid: Number(f[3]),
      home: file === '/etc/passwd' ? (f[5] ?? '/') : '',
      members: file === '/etc/group' ? (f[3] ?? '').split(',').filter(Boolean) : [],
    });
  }
  return out;
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

export function resolveUser(
  read: RootfsReader,
  user: string | null | undefined,
  groupAdd: readonly string[] = [],
): ResolvedUser {
  const passwd = readTable(read, '/etc/passwd');
  const groups = readTable(read, '/etc/group');
  const [u = '', g] = (user || '').split(':', 2);
  let uid = 0;
  let gid = 0;
  let home = '/';
  let name: string | undefined;
  if (u === '') {
    const root = passwd.find((p) => p.id === 0);
    if (root) home = root.home;
    name = root?.name ?? 'root';
  } else if (isNumeric(u)) {
    uid = Number(u);
    const p = passwd.find((e) => e.id === uid);
    if (p) {
      gid = p.gid;
      home = p.home;
      name = p.name;
    }
  } else {
    const p = passwd.find((e) => e.name === u);
    if (!p) throw invalid(`unable to find user ${u}: no matching entries in passwd file`);
    uid = p.id;
    gid = p.gid;
    home = p.home;
    name = p.name;
  }
  if (g !== undefined && g !== '') {
    if (isNumeric(g)) gid = Number(g);
    else {
      const e = groups.find((x) => x.name === g);
      if (!e) throw invalid(`unable to find group ${g}: no matching entries in group file`);
      gid = e.id;
    }
  }
  const additional = new Set<number>();
  if (name !== undefined && (g === undefined || g === ''))
    for (const e of groups) if (e.members.includes(name) && e.id !== gid) additional.add(e.id);
  for (const a of groupAdd) {
    if (isNumeric(a)) additional.add(Number(a));
    else {
      const e = groups.find((x) => x.name === a);
      if (!e) throw invalid(`unable to find group ${a}: no matching entries in group file`);
      additional.add(e.id);
    }
  }
  return { uid, gid, additionalGids: [...additional], home: home || '/' };
}
