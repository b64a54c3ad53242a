// Test helpers: unique names (containing `berth`), a test-only subnet range (10.209.0.0/16),
// busybox containers joining a netns by path (@berth/runtime, in-process), and a check that a
// test left no interface, netns, IPAM allocation, CNI cache entry or iptables rule behind.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec, Runtime } from '@berth/runtime';
import { linkExists } from './links.js';

export function rand(n = 6): string {
  return Math.random()
    .toString(36)
    .slice(2, 2 + n)
    .padEnd(n, '0');
}

let nextThird = Math.floor(Math.random() * 250);

/**
 * A /24 in 10.<second>.0.0/16 (test-only ranges): each test file uses its own `second` octet and
 * takes /24s in turn, so no two live networks of a test run share a subnet (two bridges with one
 * subnet would route each other's traffic).
 */
export function testSubnet(second = 209): { subnet: string; prefix: string } {
  nextThird = (nextThird + 1) % 250;
  const third = 1 + nextThird;
  return { subnet: `10.${second}.${third}.0/24`, prefix: `10.${second}.${third}.` };
}

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `berth-net-${prefix}-`));
  chmodSync(d, 0o755);
  return d;
}

/** Every IPv4 address file host-local keeps under the IPAM dir (allocations). */
export function ipamAllocations(ipamDir: string): string[] {
  if (!existsSync(ipamDir)) return [];
  const out: string[] = [];
  for (const net of readdirSync(ipamDir)) {
    for (const f of readdirSync(join(ipamDir, net)))
      if (/^\d+\.\d+\.\d+\.\d+$/.test(f)) out.push(`${net}/${f}`);
  }
  return out;
}

/** iptables lines (nf_tables backend) that mention any of `needles`. */
export function iptablesMentions(needles: readonly string[]): string[] {
  const text = execFileSync('iptables-save', { encoding: 'utf8' });
  return text.split('\n').filter((l) => needles.some((n) => n && l.includes(n)));
}

/** `nft list table ip <name>` or undefined when there is no such table. */
export function nftTable(name: string): string | undefined {
  try {
    return execFileSync('nft', ['list', 'table', 'ip', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

export interface LeakCheck {
  links: string[];
  netnsDir: string;
  ipamDir: string;
  cniCacheDir: string;
  ruleNeedles: string[];
  /** berth's nft table, gone once the manager has no networks */
  nftTable?: string;
}

export function leaks(c: LeakCheck): string[] {
  const out: string[] = [];
  for (const l of c.links) if (linkExists(l)) out.push(`link ${l}`);
  if (existsSync(c.netnsDir)) for (const f of readdirSync(c.netnsDir)) out.push(`netns ${f}`);
  for (const a of ipamAllocations(c.ipamDir)) out.push(`ipam ${a}`);
  const results = join(c.cniCacheDir, 'results');
  if (existsSync(results)) for (const f of readdirSync(results)) out.push(`cni cache ${f}`);
  for (const r of iptablesMentions(c.ruleNeedles)) out.push(`iptables ${r}`);
  if (c.nftTable && nftTable(c.nftTable) !== undefined) out.push(`nft table ip ${c.nftTable}`);
  return out;
}

export interface Box {
  id: string;
  /** what the container wrote to stdout+stderr so far */
  output(): string;
  wait(): Promise<number | null>;
}

/** Busybox containers in netns given by path, with /etc/hosts etc. bind-mounted. */
export class Boxes {
  readonly dir = tempDir('boxes');
  readonly rt = new Runtime({ root: join(this.dir, 'state') });
  private ids: string[] = [];

  async start(opts: {
    args: string[];
    netnsPath: string;
    files?: { hostsPath: string; hostnamePath: string; resolvConfPath: string };
    setup?: (rootfs: string) => void;
  }): Promise<Box> {
    const id = `berth-net-${process.pid}-${rand()}`;
    const bundle = join(this.dir, id);
    const rootfs = join(bundle, 'rootfs');
    mkdirSync(bundle);
    makeBusyboxRootfs(rootfs);
    // files first: busybox's static glibc would otherwise ask the (unreachable) DNS server first
    writeFileSync(join(rootfs, 'etc/nsswitch.conf'), 'hosts: files dns\n');
    opts.setup?.(rootfs);
    const spec = defaultSpec();
    spec.process!.terminal = false;
    spec.process!.args = opts.args;
    spec.root = { path: 'rootfs', readonly: false };
    spec.hostname = 'box';
    spec.linux!.namespaces = (spec.linux!.namespaces ?? []).map((n) =>
      n.type === 'network' ? { type: 'network', path: opts.netnsPath } : n,
    );
    if (opts.files) {
      for (const [dest, src] of [
        ['/etc/hosts', opts.files.hostsPath],
        ['/etc/hostname', opts.files.hostnamePath],
        ['/etc/resolv.conf', opts.files.resolvConfPath],
      ] as const) {
        writeFileSync(join(rootfs, dest), '');
        spec.mounts!.push({ destination: dest, type: 'bind', source: src, options: ['rbind', 'ro'] });
      }
    }
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const out = join(bundle, 'out');
    const fd = openSync(out, 'w');
    try {
      this.ids.push(id);
      await this.rt.create(id, { bundle, stdio: [-1, fd, fd] });
    } finally {
      closeSync(fd);
    }
    await this.rt.start(id);
    return {
      id,
      output: () => readFileSync(out, 'utf8'),
      wait: async () => (await this.rt.wait(id)).exitCode,
    };
  }

  async cleanup(): Promise<void> {
    for (const id of this.ids) {
      try {
        await this.rt.delete(id, { force: true });
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOTFOUND') throw e;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
