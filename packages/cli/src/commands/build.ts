import type { Readable } from 'node:stream';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { parseLabels } from '../opts/env.js';
import { displayProgress, ProgressError } from '../output/progress.js';

function buildArgs(specs: string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    const i = s.indexOf('=');
    if (i < 0) {
      const v = env[s];
      if (v !== undefined) out[s] = v;
    } else out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

export default async function build(ctx: Context, args: string[], f: Flags): Promise<number> {
  const path = args[0]!;
  if (/^(https?|git):\/\//.test(path))
    throw new CliError('building from a URL is not supported by berth yet', 1);
  let context: Readable;
  let dockerfile = f.str('file');
  if (path === '-') context = ctx.io.stdin;
  else {
    const { contextTar } = await import('../build-context.js');
    const r = contextTar(path, dockerfile);
    context = r.tar;
    dockerfile = r.dockerfile;
  }
  const client = await ctx.client();
  const quiet = f.bool('quiet');
  const stream = await client.build(context, {
    t: f.list('tag'),
    dockerfile,
    buildargs: buildArgs(f.list('build-arg'), ctx.env),
    target: f.str('target'),
    nocache: f.bool('no-cache'),
    q: quiet,
    pull: f.bool('pull'),
    labels: f.list('label').length ? parseLabels(f.list('label')) : undefined,
    networkmode: f.str('network'),
    platform: f.str('platform'),
  });
  let imageId: string | undefined;
  const sink = quiet ? ({ write: () => true, isTTY: false } as never) : ctx.io.stdout;
  try {
    await displayProgress(stream, {
      out: sink,
      onAux: (aux) => {
        const id = (aux as { ID?: unknown } | null)?.ID;
        if (typeof id === 'string') imageId = id;
      },
    });
  } catch (err) {
    // docker exits with the failing step's status
    if (err instanceof ProgressError) throw new CliError(err.message, err.detailCode);
    throw err;
  }
  if (quiet && imageId) ctx.io.stdout.write(`${imageId}\n`);
  return 0;
}
