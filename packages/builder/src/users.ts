// USER and --chown names → numeric ids, read from the image's own /etc/passwd and /etc/group the
// way Docker does (a name must exist; a number need not; a user alone gets its primary group, or
// for --chown the same number as the uid).
import { readFileSync } from 'node:fs';
import { secureJoin } from '@berth/runtime';
import type { RunUser } from './backend.js';
import { BuildError } from './errors.js';

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

function readLines(rootfs: string, path: string): string[][] {
  try {
    return readFileSync(secureJoin(rootfs, path), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

function passwd(rootfs: string): PasswdEntry[] {
  return readLines(rootfs, '/etc/passwd').map((f) => ({
    name: f[0] ?? '',
    uid: Number(f[2]),
    gid: Number(f[3]),
  }));
}

function groups(rootfs: string): GroupEntry[] {
  return readLines(rootfs, '/etc/group').map((f) => ({
    name: f[0] ?? '',
    gid: Number(f[2]),
    members: (f[3] ?? '').split(',').filter((m) => m !== ''),
  }));
}

const isNumber = (s: string) => /^\d+$/.test(s);

function lookupGroup(rootfs: string, group: string): number {
  if (isNumber(group)) return Number(group);
  const g = groups(rootfs).find((e) => e.name === group);
  if (!g)
    throw new BuildError('EINVALID', `unable to find group ${group}: no matching entries in group file`);
  return g.gid;
}

/** `USER` → uid, gid and supplementary groups for the step's process. */
export function resolveUser(rootfs: string, spec: string | undefined): RunUser {
  const value = spec && spec !== '' ? spec : '0';
  const [user = '0', group] = value.split(':', 2);
  const entries = passwd(rootfs);
  let uid: number;
  let gid: number;
  let name: string | undefined;
  if (isNumber(user)) {
    uid = Number(user);
    const e = entries.find((p) => p.uid === uid);
    gid = e?.gid ?? 0;
    name = e?.name;
  } else {
    const e = entries.find((p) => p.name === user);
    if (!e)
      throw new BuildError('EINVALID', `unable to find user ${user}: no matching entries in passwd file`);
    uid = e.uid;
    gid = e.gid;
    name = e.name;
  }
  if (group !== undefined && group !== '') gid = lookupGroup(rootfs, group);
  const additionalGids =
    group === undefined && name !== undefined
      ? groups(rootfs)
          .filter((g) => g.members.includes(name!) && g.gid !== gid)
          .map((g) => g.gid)
      : [];
  return { uid, gid, additionalGids };
}

/** `--chown=user[:group]` → ids (a user without group: the same number as gid, as Docker does). */
export function resolveChown(rootfs: string, spec: string): { uid: number; gid: number } {
  const [user = '', group] = spec.split(':', 2);
  let uid: number;
  if (isNumber(user)) uid = Number(user);
  else {
    const e = passwd(rootfs).find((p) => p.name === user);
    if (!e)
      throw new BuildError(
        'EINVALID',
        `unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user`,
      );
    uid = e.uid;
  }
  if (group === undefined || group === '') return { uid, gid: uid };
  return { uid, gid: lookupGroup(rootfs, group) };
}
