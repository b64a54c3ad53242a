// Reading a process's identity from /proc: a pid alone can be recycled, pid + start time cannot.
import { readFileSync } from 'node:fs';

export interface ProcStat {
  /** one-letter state: R, S, D, Z (zombie), T, t, X ... */
  state: string;
  ppid: number;
  /** clock ticks after boot (field 22): with the pid, identifies one process */
  startTime: number;
}

/** /proc/<pid>/stat, or null when there is no such process. */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '?', ppid: Number(rest[1]), startTime: Number(rest[19]) };
}

/** Whether `pid` is still the process that started at `startTime` and has not exited. */
export function isAlive(pid: number, startTime: number): boolean {
  const st = procStat(pid);
  return st !== null && st.startTime === startTime && st.state !== 'Z' && st.state !== 'X';
}
