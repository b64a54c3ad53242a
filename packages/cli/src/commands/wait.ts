import type { Context } from '../context.js';

export default async function wait(ctx: Context, args: string[]): Promise<number> {
  const client = await ctx.client();
  let failed = false;
  for (const id of args) {
    try {
      const r = await client.containerWait(id, 'not-running').result;
      ctx.io.stdout.write(`${r.StatusCode}\n`);
    } catch (err) {
      ctx.io.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
