// docker's createContainer: create; when the image is missing, pull it (progress on stderr) and retry.
import { DockerApiError } from '@berth/api';
import type { Context } from './context.js';
import type { Flags } from './flags.js';
import { withDefaultTag } from './image-ref.js';
import { buildCreateBody } from './opts/container.js';
import { displayProgress, ProgressError } from './output/progress.js';

async function pull(ctx: Context, ref: string, platform: string | undefined, quiet: boolean): Promise<void> {
  const client = await ctx.client();
  const stream = await client.imagePull(withDefaultTag(ref), { platform });
  if (quiet) {
    for await (const m of stream) {
      if (m.error || m.errorDetail?.message)
        throw new DockerApiError(500, m.errorDetail?.message ?? m.error ?? '');
    }
    return;
  }
  try {
    await displayProgress(stream, { out: ctx.io.stderr });
  } catch (err) {
    // a failed pull is a daemon error for run/create (exit 125), as in docker
    if (err instanceof ProgressError) throw new DockerApiError(500, err.message);
    throw err;
  }
}

export async function createContainer(
  ctx: Context,
  f: Flags,
  args: string[],
  opts: { detached: boolean },
): Promise<{ id: string; body: Record<string, unknown> }> {
  const { name, platform, body } = buildCreateBody(f, args, ctx.env, opts);
  // as docker: the terminal's size travels with create, so the program sees it from its first line
  const out = ctx.io.stdout;
  if (body.Tty && out.isTTY && out.rows && out.columns) {
    const host = (body.HostConfig ?? {}) as Record<string, unknown>;
    body.HostConfig = { ...host, ConsoleSize: [out.rows, out.columns] };
  }
  const client = await ctx.client();
  const image = args[0]!;
  const pullPolicy = f.str('pull') ?? 'missing';
  if (!['always', 'missing', 'never'].includes(pullPolicy)) {
    throw new DockerApiError(
      400,
      `invalid pull option: '${pullPolicy}': must be one of "always", "missing" or "never"`,
    );
  }
  if (pullPolicy === 'always') await pull(ctx, image, platform, f.bool('quiet'));
  let created: { Id: string; Warnings?: string[] | null };
  try {
    created = await client.containerCreate(body, { name, platform });
  } catch (err) {
    if (
      !(err instanceof DockerApiError) ||
      err.statusCode !== 404 ||
      pullPolicy !== 'missing' ||
      !/No such image/i.test(err.message)
    ) {
      throw err;
    }
    ctx.io.stderr.write(`Unable to find image '${withDefaultTag(image)}' locally\n`);
    await pull(ctx, image, platform, f.bool('quiet'));
    created = await client.containerCreate(body, { name, platform });
  }
  for (const w of created.Warnings ?? []) ctx.io.stderr.write(`WARNING: ${w}\n`);
  const cidfile = f.str('cidfile');
  if (cidfile) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cidfile, created.Id, { flag: 'wx' });
  }
  return { id: created.Id, body };
}
