// `docker top <c> <ps options>`: as dockerd, run the host's ps with the user's options and keep the
// rows of the container's processes (found by the PID column).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { invalid } from './errors.js';

const run = promisify(execFile);

export async function psWithArgs(
  psArgs: string,
  pids: readonly number[],
): Promise<{ Titles: string[]; Processes: string[][] }> {
  const args = psArgs.split(/\s+/).filter(Boolean);
  let stdout: string;
  try {
    ({ stdout } = await run('ps', args, { maxBuffer: 16 * 1024 * 1024 }));
  } catch (e) {
    throw invalid(`Error running ps: ${(e as Error).message.split('\n')[0]}`);
  }
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalid(`Couldn't find PID field in ps output`);
  const want = new Set(pids.map(String));
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (!want.has(fields[pidCol] ?? '')) continue;
    // the last column (the command) keeps its spaces
    const head = fields.slice(0, titles.length - 1);
    const rest = fields.slice(titles.length - 1).join(' ');
    processes.push([...head, rest]);
  }
  return { Titles: titles, Processes: processes };
}
