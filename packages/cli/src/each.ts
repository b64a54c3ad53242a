import type { Context } from './context.js';

/**
 * docker's pattern for commands over several containers: echo each name that worked, print each
 * error, and end with one summary error (exit 1) when any failed.
 */
export async function forEachName(
  ctx: Context,
  names: string[],
  fn: (name: string) => Promise<unknown>,
  errPrefix: string,
  summary?: string,
  echo = true,
): Promise<number> {
  const failed: string[] = [];
  for (const name of names) {
    try {
      await fn(name);
      if (echo) ctx.io.stdout.write(`${name}\n`);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      ctx.io.stderr.write(`${e.name === 'DockerApiError' ? errPrefix : ''}${e.message ?? String(err)}\n`);
      failed.push(name);
    }
  }
  if (failed.length && summary) ctx.io.stderr.write(`Error: ${summary}: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}
