import { readFileSync } from 'node:fs';
import type { Globals } from '../globals.js';

export default async function ps(g: Globals, id: string, flags: { format?: unknown }): Promise<void> {
  const pids = (await g.runtime()).ps(id);
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify(pids)}\n`);
    return;
  }
  process.stdout.write('PID   CMD\n');
  for (const pid of pids) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {}
    process.stdout.write(`${String(pid).padEnd(6)}${cmd}\n`);
  }
}
