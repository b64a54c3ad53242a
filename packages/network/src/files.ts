// /etc/hosts, /etc/hostname and /etc/resolv.conf for a container. Name resolution between
// containers of one user-defined network is done with /etc/hosts: every container's hosts file
// lists its peers and is rewritten in place (same inode, so the bind mount sees it) whenever a
// peer attaches or detaches.
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';

export interface HostsEntry {
  ip: string;
  names: string[];
}

const HOSTS_HEADER = `127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
ff00::0\tip6-mcastprefix
ff02::1\tip6-allnodes
ff02::2\tip6-allrouters
`;

export function renderHosts(opts: {
  self?: HostsEntry;
  extraHosts: ReadonlyArray<readonly [string, string]>;
  peers: readonly HostsEntry[];
}): string {
  let out = HOSTS_HEADER;
  for (const [host, ip] of opts.extraHosts) out += `${ip}\t${host}\n`;
  if (opts.self) out += `${opts.self.ip}\t${opts.self.names.join(' ')}\n`;
  if (opts.peers.length > 0) {
    out += '# containers on the same berth networks\n';
    for (const p of opts.peers) out += `${p.ip}\t${p.names.join(' ')}\n`;
  }
  return out;
}

/** Rewrites a hosts file in place when its content changed (a rename would leave the bind mount on the old inode). */
export function updateHostsFile(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      writeFileAtomic(path, content);
      return;
    }
    throw e;
  }
  writeFileSync(path, content);
}

export interface ResolvConfOptions {
  dns?: readonly string[];
  dnsSearch?: readonly string[];
  dnsOptions?: readonly string[];
  /** the host's resolv.conf, copied when no dns servers are given */
  hostResolvConf?: string;
}

/** Docker's fallback when the host only has loopback resolvers (unreachable from the container). */
const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

export function renderResolvConf(opts: ResolvConfOptions): string {
  let host = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  if (!opts.dns?.length || !opts.dnsSearch?.length || !opts.dnsOptions?.length) {
    try {
      host = parseResolvConf(readFileSync(opts.hostResolvConf ?? '/etc/resolv.conf', 'utf8'));
    } catch {}
  }
  let nameservers = opts.dns?.length ? [...opts.dns] : host.nameservers.filter((n) => !isLoopback(n));
  if (nameservers.length === 0) nameservers = FALLBACK_NAMESERVERS;
  const search = opts.dnsSearch?.length ? opts.dnsSearch : host.search;
  const options = opts.dnsOptions?.length ? opts.dnsOptions : host.options;
  let out = '';
  for (const n of nameservers) out += `nameserver ${n}\n`;
  if (search.length > 0) out += `search ${search.join(' ')}\n`;
  if (options.length > 0) out += `options ${options.join(' ')}\n`;
  return out;
}

function parseResolvConf(text: string): { nameservers: string[]; search: string[]; options: string[] } {
  const out = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  for (const raw of text.split('\n')) {
    const f = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    const [key, ...rest] = f;
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
