// Small pure helpers of the executor: the image config's Env list, shell forms, ports, --chmod,
// and the build args every build knows (proxy and platform args).
import type { DockerContainerConfig } from '@berth/oci-spec';
import type { CommandForm } from './dockerfile/instructions.js';
import { BuildError } from './errors.js';

/** Args every build knows without an ARG line; they never reach the history or cache key. */
export const PROXY_ARGS = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
]);

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function envMap(env: readonly string[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env ?? []) {
    const eq = e.indexOf('=');
    if (eq < 0) m.set(e, '');
    else m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}

export function setEnv(env: readonly string[] | undefined, key: string, value: string): string[] {
  const out = (env ?? []).filter((e) => e !== key && !e.startsWith(`${key}=`));
  out.push(`${key}=${value}`);
  return out;
}

export function automaticPlatformArgs(platform: string | undefined): Map<string, string> {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch;
  const build = { os: 'linux', arch };
  const [tos = build.os, tarch = build.arch, tvariant = ''] = (platform ?? `${build.os}/${build.arch}`).split(
    '/',
  );
  const target = `${tos}/${tarch}${tvariant ? `/${tvariant}` : ''}`;
  return new Map([
    ['BUILDPLATFORM', `${build.os}/${build.arch}`],
    ['BUILDOS', build.os],
    ['BUILDARCH', build.arch],
    ['BUILDVARIANT', ''],
    ['TARGETPLATFORM', target],
    ['TARGETOS', tos],
    ['TARGETARCH', tarch],
    ['TARGETVARIANT', tvariant],
  ]);
}

export function shellForm(config: DockerContainerConfig, cmd: CommandForm): string[] {
  if (cmd.form === 'exec') return cmd.args;
  return [...(config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL), cmd.command];
}

export function normalizePort(port: string): string[] {
  const [range = '', proto = 'tcp'] = port.split('/', 2);
  const m = /^(\d+)(?:-(\d+))?$/.exec(range);
  if (!m) throw new BuildError('EINVALID', `invalid containerPort: ${range}`);
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto.toLowerCase()}`);
  return out;
}

export function parseChmod(value: string, at: string): number {
  if (!/^[0-7]{3,4}$/.test(value))
    throw new BuildError('EINVALID', `${at}: invalid --chmod value "${value}" (octal digits)`);
  return Number.parseInt(value, 8);
}
