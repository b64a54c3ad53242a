import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { splitRef } from '../image-ref.js';
import { displayProgress } from '../output/progress.js';

export default async function pull(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const ref = args[0]!;
  const r = splitRef(ref);
  const full = f.bool('all-tags') || r.tag !== undefined || r.digest !== undefined ? ref : `${ref}:latest`;
  if (r.tag === undefined && r.digest === undefined && !f.bool('all-tags')) {
    ctx.io.stdout.write('Using default tag: latest\n');
  }
  const stream = await client.imagePull(full, { platform: f.str('platform') });
  if (f.bool('quiet')) {
    await displayProgress(stream, { out: { write: () => true, isTTY: false } as never });
  } else {
    await displayProgress(stream, { out: ctx.io.stdout });
  }
  // docker prints the canonical reference last (with -q only that)
  ctx.io.stdout.write(`${canonical(full)}\n`);
  return 0;
}

/** docker.io/library/busybox:latest for busybox:latest (docker's FamiliarString inverse). */
export function canonical(ref: string): string {
  const first = ref.split('/')[0]!;
  const hasDomain =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}
