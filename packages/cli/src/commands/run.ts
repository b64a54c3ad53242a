// docker run: create (pulling a missing image), attach and register the wait before start, start,
// stream until the container's output ends, exit with its status.
import { DockerApiError } from '@berth/api';
import type { Context } from '../context.js';
import { createContainer } from '../create-flow.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { monitorTtySize, proxySignals, pumpStreams } from '../streams.js';

/** docker's run exit codes when the container's process could not be started. */
function startFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(message)) return 127;
  if (/permission denied|cannot execute/i.test(message)) return 126;
  return 125;
}

export default async function run(ctx: Context, args: string[], f: Flags): Promise<number> {
  const detached = f.bool('detach');
  const tty = f.bool('tty');
  const interactive = f.bool('interactive');
  if (!detached && tty && interactive && ctx.io.stdin.isTTY !== true) {
    throw new CliError('the input device is not a TTY', 1);
  }
  const { id, body } = await createContainer(ctx, f, args, { detached });
  const client = await ctx.client();
  if (detached) {
    try {
      await client.containerStart(id);
    } catch (err) {
      if (err instanceof DockerApiError)
        throw new CliError(`Error response from daemon: ${err.message}`, startFailureStatus(err.message));
      throw err;
    }
    ctx.io.stdout.write(`${id}\n`);
    return 0;
  }
  const attachStdin = body.AttachStdin === true;
  const attachStdout = body.AttachStdout === true;
  const attachStderr = body.AttachStderr === true;
  const sock =
    attachStdin || attachStdout || attachStderr
      ? await client.containerAttach(id, {
          stream: true,
          stdin: attachStdin,
          stdout: attachStdout,
          stderr: attachStderr,
          detachKeys: f.str('detach-keys'),
        })
      : undefined;
  const autoRemove = f.bool('rm');
  const wait = client.containerWait(id, autoRemove ? 'removed' : 'next-exit');
  // the wait must be registered before start (its headers arrive at once), but do not hang on a daemon that
  // only answers at exit
  await Promise.race([wait.started, new Promise((r) => setTimeout(r, 3000).unref())]);
  wait.result.catch(() => undefined);
  try {
    await client.containerStart(id);
  } catch (err) {
    sock?.destroy();
    if (err instanceof DockerApiError) {
      throw new CliError(`Error response from daemon: ${err.message}`, startFailureStatus(err.message));
    }
    throw err;
  }
  const stopResize = tty ? monitorTtySize(ctx, (h, w) => client.containerResize(id, h, w)) : () => undefined;
  const stopSignals =
    !tty && f.bool('sig-proxy') ? proxySignals(ctx, (s) => client.containerKill(id, s)) : () => undefined;
  try {
    if (sock) await pumpStreams(ctx, { sock, tty, stdin: attachStdin });
    const result = await wait.result;
    if (result.Error?.Message) ctx.io.stderr.write(`${ctx.prog}: ${result.Error.Message}\n`);
    return result.StatusCode;
  } finally {
    stopResize();
    stopSignals();
  }
}
