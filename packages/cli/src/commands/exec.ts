import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { buildEnv } from '../opts/env.js';
import { monitorTtySize, pumpStreams } from '../streams.js';

export default async function exec(ctx: Context, args: string[], f: Flags): Promise<number> {
  const [container, ...cmd] = args;
  const client = await ctx.client();
  const detached = f.bool('detach');
  const tty = f.bool('tty');
  const interactive = f.bool('interactive');
  if (!detached && tty && interactive && ctx.io.stdin.isTTY !== true)
    throw new CliError('the input device is not a TTY', 1);
  const out = ctx.io.stdout;
  const consoleSize: [number, number] | undefined =
    tty && out.isTTY && out.rows && out.columns ? [out.rows, out.columns] : undefined;
  const execId = await client.execCreate(container!, {
    Cmd: cmd,
    AttachStdin: interactive && !detached,
    AttachStdout: !detached,
    AttachStderr: !detached,
    Tty: tty,
    Env: buildEnv(f.list('env'), f.list('env-file'), ctx.env),
    WorkingDir: f.str('workdir'),
    User: f.str('user'),
    Privileged: f.bool('privileged'),
    DetachKeys: f.str('detach-keys'),
    ConsoleSize: consoleSize,
  });
  if (detached) {
    await client.execStartDetached(execId, { tty });
    return 0;
  }
  const sock = await client.execStartAttached(execId, { tty, consoleSize });
  const stopResize = tty ? monitorTtySize(ctx, (h, w) => client.execResize(execId, h, w)) : () => undefined;
  try {
    await pumpStreams(ctx, { sock, tty, stdin: interactive });
  } finally {
    stopResize();
  }
  const inspect = await client.execInspect(execId);
  return inspect.ExitCode ?? 0;
}
