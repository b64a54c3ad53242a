import type { Context } from '../context.js';
import type { Flags } from '../flags.js';

export default async function rmi(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  let failed = false;
  for (const name of args) {
    try {
      for (const item of await client.imageRemove(name, {
        force: f.bool('force'),
        noprune: f.bool('no-prune'),
      })) {
        if (item.Untagged) ctx.io.stdout.write(`Untagged: ${item.Untagged}\n`);
        if (item.Deleted) ctx.io.stdout.write(`Deleted: ${item.Deleted}\n`);
      }
    } catch (err) {
      ctx.io.stderr.write(`Error response from daemon: ${(err as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
