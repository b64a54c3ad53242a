import { CLIENT_API_VERSION } from '@berth/api';
import type { Context } from '../context.js';
import type { Flags } from '../flags.js';
import { renderOne } from '../output/format.js';
import { cliVersion } from '../version-text.js';

export default async function version(ctx: Context, _args: string[], f: Flags): Promise<number> {
  const clientInfo = {
    Platform: { Name: 'berth' },
    Version: cliVersion(),
    ApiVersion: CLIENT_API_VERSION,
    DefaultAPIVersion: CLIENT_API_VERSION,
    GitCommit: 'unknown',
    GoVersion: process.version,
    Os: process.platform,
    Arch: process.arch === 'x64' ? 'amd64' : process.arch,
    Context: 'default',
  };
  let server: Awaited<ReturnType<Awaited<ReturnType<Context['client']>>['version']>> | undefined;
  let serverErr: unknown;
  try {
    const client = await ctx.client();
    server = await client.version();
    clientInfo.ApiVersion = await client.negotiatedVersion();
  } catch (err) {
    serverErr = err;
  }
  const format = f.str('format');
  if (format) {
    ctx.io.stdout.write(renderOne({ Client: clientInfo, Server: server ?? null }, format));
  } else {
    const lines = [
      'Client:',
      ` Version:           ${clientInfo.Version}`,
      ` API version:       ${clientInfo.ApiVersion}`,
      ` Node version:      ${process.version}`,
      ` OS/Arch:           ${clientInfo.Os}/${clientInfo.Arch}`,
      ` Context:           ${clientInfo.Context}`,
    ];
    if (server) {
      lines.push(
        '',
        `Server: ${(server as { Platform?: { Name?: string } }).Platform?.Name ?? ''}`.trimEnd(),
        ' Engine:',
        `  Version:          ${server.Version}`,
        `  API version:      ${server.ApiVersion} (minimum version ${server.MinAPIVersion ?? ''})`,
        `  Go version:       ${server.GoVersion ?? ''}`,
        `  Git commit:       ${server.GitCommit ?? ''}`,
        `  Built:            ${server.BuildTime ?? ''}`,
        `  OS/Arch:          ${server.Os ?? ''}/${server.Arch ?? ''}`,
      );
      for (const c of server.Components ?? []) {
        if (c.Name === 'Engine') continue;
        lines.push(` ${c.Name}:`, `  Version:          ${c.Version}`);
      }
    }
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (serverErr) throw serverErr;
  return 0;
}
