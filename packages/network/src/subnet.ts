// IPv4 subnets: parsing, overlap, the host's routes, and picking a free subnet from pools the
// way Docker's default address pools work (172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16
// cut into /20s), skipping any that overlap a route on the host or another network.
import { readFileSync } from 'node:fs';
import { NetworkError } from './errors.js';

export interface Subnet {
  /** network address as a 32-bit unsigned number */
  base: number;
  prefixLen: number;
}

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/** Parses "10.1.0.0/16"; host bits must be zero (Docker refuses 10.1.2.3/16 too). */
export function parseSubnet(s: string, what = 'subnet'): Subnet {
  const [addr, len, extra] = s.split('/');
  const base = addr === undefined ? undefined : parseIPv4(addr);
  const prefixLen = Number(len);
  if (base === undefined || extra !== undefined || len === undefined || !/^\d+$/.test(len) || prefixLen > 32)
    throw new NetworkError(
      'EINVALID',
      `${what} ${JSON.stringify(s)} is not an IPv4 CIDR (like 10.10.0.0/24)`,
    );
  if (prefixLen > 30)
    throw new NetworkError(
      'EINVALID',
      `${what} ${s} is too small: it needs room for a gateway and a container (/30 at most)`,
    );
  if ((base & maskOf(prefixLen)) >>> 0 !== base)
    throw new NetworkError(
      'EINVALID',
      `${what} ${s} has host bits set: did you mean ${formatSubnet({ base: (base & maskOf(prefixLen)) >>> 0, prefixLen })}?`,
    );
  return { base, prefixLen };
}

export function formatSubnet(s: Subnet): string {
  return `${formatIPv4(s.base)}/${s.prefixLen}`;
}

export function contains(s: Subnet, ip: number): boolean {
  return (ip & maskOf(s.prefixLen)) >>> 0 === s.base;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const len = Math.min(a.prefixLen, b.prefixLen);
  const m = maskOf(len);
  return (a.base & m) >>> 0 === (b.base & m) >>> 0;
}

/** The first usable address (Docker's default gateway). */
export function firstHost(s: Subnet): number {
  return s.base + 1;
}

export function broadcast(s: Subnet): number {
  return (s.base | (~maskOf(s.prefixLen) >>> 0)) >>> 0;
}

/**
 * Destinations of the host's IPv4 routes from /proc/net/route (little-endian hex), except the
 * default route: a pool subnet that overlaps one of these would shadow or be shadowed by it.
 */
export function hostRoutes(procFile = '/proc/net/route'): Subnet[] {
  let text: string;
  try {
    text = readFileSync(procFile, 'utf8');
  } catch {
    return [];
  }
  const out: Subnet[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dst = leHex(f[1]!);
    const mask = leHex(f[7]!);
    if (mask === 0) continue; // default route
    const prefixLen = popcount(mask);
    out.push({ base: (dst & mask) >>> 0, prefixLen });
  }
  return out;
}

function leHex(h: string): number {
  const n = Number.parseInt(h, 16);
  return (
    (((n & 255) << 24) | (((n >>> 8) & 255) << 16) | (((n >>> 16) & 255) << 8) | ((n >>> 24) & 255)) >>> 0
  );
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x >>>= 1) c += x & 1;
  return c;
}

export interface AddressPool {
  /** e.g. 172.17.0.0/16 */
  base: string;
  /** the prefix length of each subnet cut from it */
  size: number;
}

/** Docker's default-address-pools. */
export const DEFAULT_POOLS: readonly AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/** The first subnet of the pools that overlaps none of `taken`. */
export function allocateSubnet(pools: readonly AddressPool[], taken: readonly Subnet[]): Subnet {
  for (const pool of pools) {
    const p = parseSubnet(pool.base, 'address pool');
    if (pool.size < p.prefixLen || pool.size > 30)
      throw new NetworkError('EINVALID', `address pool ${pool.base}: size /${pool.size} does not fit`);
    const step = 2 ** (32 - pool.size);
    const count = 2 ** (pool.size - p.prefixLen);
    for (let i = 0; i < count; i++) {
      const cand: Subnet = { base: (p.base + i * step) >>> 0, prefixLen: pool.size };
      if (!taken.some((t) => overlaps(t, cand))) return cand;
    }
  }
  throw new NetworkError(
    'EPOOLEXHAUSTED',
    'all predefined address pools have been fully subnetted (or overlap host routes)',
  );
}
