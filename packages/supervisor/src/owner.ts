// One supervisor process per root: <root>/owner.json names the process (pid + start time, so a
// recycled pid is not mistaken for it). A second process opening the same root while the first
// lives is refused; a root left by a dead process (kill -9) is taken over.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SupervisorError } from './errors.js';

const Owner = z.object({ pid: z.number().int().positive(), startTime: z.number().int().nonnegative() });
type Owner = z.infer<typeof Owner>;

function startTime(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields after it start after the last ')'
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
    return Number(rest[19]);
  } catch {
    return undefined;
  }
}

function readOwner(path: string): Owner | undefined {
  try {
    const r = Owner.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the root's owner; FAILED_PRECONDITION while another live process is. */
export function claimRoot(root: string): void {
  const path = join(root, 'owner.json');
  const cur = readOwner(path);
  if (cur && cur.pid !== process.pid && startTime(cur.pid) === cur.startTime)
    throw new SupervisorError(
      'FAILED_PRECONDITION',
      `another supervisor (pid ${cur.pid}) uses ${root}; stop it first or use another root`,
    );
  const me: Owner = { pid: process.pid, startTime: startTime(process.pid) ?? 0 };
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(me));
  renameSync(tmp, path);
}

/** Removes the record if it is this process's. */
export function releaseRoot(root: string): void {
  const path = join(root, 'owner.json');
  if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
}
