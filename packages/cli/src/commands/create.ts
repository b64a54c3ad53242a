import type { Context } from '../context.js';
import { createContainer } from '../create-flow.js';
import type { Flags } from '../flags.js';

export default async function create(ctx: Context, args: string[], f: Flags): Promise<number> {
  const { id } = await createContainer(ctx, f, args, { detached: false });
  ctx.io.stdout.write(`${id}\n`);
  return 0;
}
