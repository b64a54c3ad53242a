// /etc/hosts, /etc/hostname and /etc/resolv.conf for a container, written into its directory and
// bind-mounted (as Docker does). With host networking the host's files are copied. They are written
// again at every start, so they are replaced atomically but not fsynced (nothing to keep over a crash).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileReplace } from './atomic.js';
import { invalid } from './errors.js';

export interface ContainerFilesInput {
  dir: string;
  hostname: string;
  domainname?: string | null;
  hostNetwork: boolean;
  /** the container's address on its network, if it has one */
  ipAddress?: string;
  extraHosts?: readonly string[] | null;
  dns?: readonly string[] | null;
  dnsSearch?: readonly string[] | null;
  dnsOptions?: readonly string[] | null;
}

export interface ContainerFiles {
  hosts: string;
  hostname: string;
  resolvConf: string;
}

const DEFAULT_DNS = ['8.8.8.8', '8.8.4.4'];

function readHost(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

export function resolvConf(
  host: string,
  opts: Pick<ContainerFilesInput, 'dns' | 'dnsSearch' | 'dnsOptions'>,
): string {
  const lines = host.split('\n');
  let servers = lines
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => !!s && !s.startsWith('127.') && s !== '::1');
  let search = lines.map((l) => /^\s*search\s+(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => !!s);
  let options = lines.map((l) => /^\s*options\s+(.+)$/.exec(l)?.[1]?.trim()).filter((s): s is string => !!s);
  if (opts.dns?.length) servers = [...opts.dns];
  if (servers.length === 0) servers = DEFAULT_DNS;
  if (opts.dnsSearch?.length) search = opts.dnsSearch.includes('.') ? [] : [opts.dnsSearch.join(' ')];
  if (opts.dnsOptions?.length) options = [opts.dnsOptions.join(' ')];
  return [
    ...servers.map((s) => `nameserver ${s}`),
    ...search.map((s) => `search ${s}`),
    ...options.map((o) => `options ${o}`),
    '',
  ].join('\n');
}

export function hostsFile(input: ContainerFilesInput): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const h of input.extraHosts ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw invalid(`invalid extra host: ${h} (expected host:ip)`);
    const ip = h.slice(i + 1).replace(/^\[|\]$/g, '');
    lines.push(`${ip === 'host-gateway' ? '127.0.0.1' : ip}\t${h.slice(0, i)}`);
  }
  if (input.ipAddress) {
    const full = input.domainname
      ? `${input.hostname}.${input.domainname} ${input.hostname}`
      : input.hostname;
    lines.push(`${input.ipAddress}\t${full}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeContainerFiles(input: ContainerFilesInput): ContainerFiles {
  const files: ContainerFiles = {
    hosts: join(input.dir, 'hosts'),
    hostname: join(input.dir, 'hostname'),
    resolvConf: join(input.dir, 'resolv.conf'),
  };
  writeFileReplace(files.hostname, `${input.hostname}\n`, 0o644);
  if (input.hostNetwork) {
    writeFileReplace(files.hosts, readHost('/etc/hosts'), 0o644);
    writeFileReplace(files.resolvConf, readHost('/etc/resolv.conf'), 0o644);
  } else {
    writeFileReplace(files.hosts, hostsFile(input), 0o644);
    writeFileReplace(files.resolvConf, resolvConf(readHost('/etc/resolv.conf'), input), 0o644);
  }
  return files;
}
