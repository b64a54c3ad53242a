import { DockerApiError } from '@berth/api';
import type { Context } from '../context.js';
import { forEachName } from '../each.js';
import type { Flags } from '../flags.js';

export default async function networkRm(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  return forEachName(
    ctx,
    args,
    async (n) => {
      try {
        await client.networkRemove(n);
      } catch (err) {
        if (f.bool('force') && err instanceof DockerApiError && err.statusCode === 404) return;
        throw err;
      }
    },
    'Error response from daemon: ',
  );
}
