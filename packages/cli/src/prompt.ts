import type { Context } from './context.js';

/** docker's confirmation: "Are you sure you want to continue? [y/N]"; false without a yes. */
export async function confirm(ctx: Context, message: string): Promise<boolean> {
  ctx.io.stdout.write(`${message}\nAre you sure you want to continue? [y/N] `);
  const line = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString('utf8');
      if (buf.includes('\n')) done();
    };
    const done = () => {
      ctx.io.stdin.off('data', onData);
      ctx.io.stdin.off('end', done);
      ctx.io.stdin.pause();
      resolve(buf.split('\n')[0] ?? '');
    };
    ctx.io.stdin.on('data', onData);
    ctx.io.stdin.once('end', done);
    ctx.io.stdin.resume();
  });
  return /^y(es)?$/i.test(line.trim());
}
