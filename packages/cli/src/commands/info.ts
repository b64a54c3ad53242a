import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { renderOne } from '../output/format.js';
import { bytesSize } from '../output/units.js';

function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export default async function info(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const i = await client.info();
  const format = f.str('format');
  if (format) {
    ctx.io.stdout.write(renderOne(i, format));
    return 0;
  }
  const lines = [
    'Client:',
    ' Version:    berth',
    ' Context:    default',
    '',
    'Server:',
    ` Containers: ${str(i.Containers)}`,
    `  Running: ${str(i.ContainersRunning)}`,
    `  Paused: ${str(i.ContainersPaused)}`,
    `  Stopped: ${str(i.ContainersStopped)}`,
    ` Images: ${str(i.Images)}`,
    ` Server Version: ${str(i.ServerVersion)}`,
    ` Storage Driver: ${str(i.Driver)}`,
    ` Logging Driver: ${str(i.LoggingDriver)}`,
    ` Cgroup Driver: ${str(i.CgroupDriver)}`,
    ` Cgroup Version: ${str(i.CgroupVersion)}`,
    ` Kernel Version: ${str(i.KernelVersion)}`,
    ` Operating System: ${str(i.OperatingSystem)}`,
    ` OSType: ${str(i.OSType)}`,
    ` Architecture: ${str(i.Architecture)}`,
    ` CPUs: ${str(i.NCPU)}`,
    ` Total Memory: ${typeof i.MemTotal === 'number' ? bytesSize(i.MemTotal) : ''}`,
    ` Name: ${str(i.Name)}`,
    ` ID: ${str(i.ID)}`,
    ` Docker Root Dir: ${str(i.DockerRootDir)}`,
    ` Debug Mode: ${str(i.Debug)}`,
  ];
  const runtimes = i.Runtimes && typeof i.Runtimes === 'object' ? Object.keys(i.Runtimes) : [];
  if (runtimes.length)
    lines.splice(
      lines.length - 8,
      0,
      ` Runtimes: ${runtimes.join(' ')}`,
      ` Default Runtime: ${str(i.DefaultRuntime)}`,
    );
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  const warnings = Array.isArray(i.Warnings) ? i.Warnings : [];
  for (const w of warnings) ctx.io.stderr.write(`${str(w)}\n`);
  return 0;
}
