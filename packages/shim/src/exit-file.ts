// The exit file: the shim writes the init's exit status to <dir>/exit.json (temp file +
// rename: never half-written), so it is there after the shim is gone, e.g. for a supervisor that restarts later.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ShimError } from './errors.js';

export const EXIT_FILE = 'exit.json';

export const ExitStatus = z.object({
  exitCode: z.number().int().min(0).max(255),
  signal: z.number().int().min(1).max(64).nullable(),
  /** RFC 3339 with nanoseconds, UTC */
  exitedAt: z.string().min(1),
});
export type ExitStatus = z.infer<typeof ExitStatus>;

const ExitFile = ExitStatus.extend({ pid: z.number().int().positive() });

/** The init's exit status from `dir`, or undefined when it has not exited (no file yet). */
export function readExitFile(dir: string): ExitStatus | undefined {
  const path = join(dir, EXIT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ShimError('EPROTOCOL', `${path} is not JSON`);
  }
  const r = ExitFile.safeParse(json);
  if (!r.success)
    throw new ShimError(
      'EPROTOCOL',
      `${path}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`,
    );
  return { exitCode: r.data.exitCode, signal: r.data.signal, exitedAt: r.data.exitedAt };
}
