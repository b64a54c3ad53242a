// berth's own nftables table, regenerated as a whole (atomically, one `nft -f` transaction)
// whenever the set of bridge networks changes. It adds what the CNI plugins do not:
//  - isolation between networks, as Docker's DOCKER-ISOLATION chains: no forwarding from one
//    berth bridge to another;
//  - --internal: nothing forwarded into or out of an internal network's bridge;
//  - masquerade per network, like Docker's `-s <subnet> ! -o <bridge> -j MASQUERADE`: one rule per
//    network instead of the bridge plugin's chain per container (ipMasq), which costs several
//    iptables runs on every attach and detach;
//  - portmap's `snat` sets route_localnet=1 on each bridge so 127.0.0.1:<published port> works;
//    that also lets a container send packets to the host's 127.0.0.0/8 services (CVE-2020-8558),
//    so packets from a bridge to 127.0.0.0/8 are dropped unless they belong to a DNAT'd flow.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { NetworkError } from './errors.js';

export interface FirewallNetwork {
  bridge: string;
  /** CIDR */
  subnet: string;
  internal: boolean;
  /** masquerade what the network's containers send out of the host (not internal networks) */
  masquerade: boolean;
}

const TABLE_RE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

export function isValidTableName(name: string): boolean {
  return TABLE_RE.test(name);
}

const q = (s: string) => JSON.stringify(s);

/** The nft script that replaces `table ip <table>` (or only deletes it when there are no networks). */
export function firewallScript(table: string, nets: readonly FirewallNetwork[]): string {
  let out = `table ip ${table}\ndelete table ip ${table}\n`;
  if (nets.length === 0) return out;
  const bridges = nets.map((n) => n.bridge);
  out += `table ip ${table} {\n`;
  out += '  chain input {\n    type filter hook input priority filter; policy accept;\n';
  out += `    iifname { ${bridges.map(q).join(', ')} } ip daddr 127.0.0.0/8 ct status & dnat == 0 drop comment "container to host loopback"\n`;
  out += '  }\n';
  out += '  chain forward {\n    type filter hook forward priority filter - 1; policy accept;\n';
  const pairs: string[] = [];
  for (const a of bridges) for (const b of bridges) if (a !== b) pairs.push(`${q(a)} . ${q(b)}`);
  if (pairs.length > 0)
    out += `    iifname . oifname { ${pairs.join(', ')} } drop comment "isolation between networks"\n`;
  for (const n of nets.filter((x) => x.internal)) {
    out += `    iifname ${q(n.bridge)} oifname != ${q(n.bridge)} drop comment "internal"\n`;
    out += `    oifname ${q(n.bridge)} iifname != ${q(n.bridge)} drop comment "internal"\n`;
  }
  out += '  }\n';
  const masq = nets.filter((n) => n.masquerade && !n.internal);
  if (masq.length > 0) {
    out += '  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n';
    for (const n of masq) out += `    ip saddr ${n.subnet} oifname != ${q(n.bridge)} masquerade\n`;
    out += '  }\n';
  }
  out += '}\n';
  return out;
}

/**
 * The iptables `filter` rules that let the networks' traffic through FORWARD where its policy is
 * DROP (as on hosts where Docker runs), one chain per manager, as Docker's own FORWARD rules:
 * replies and published ports (DNAT) into each bridge, anything out of it. nftables cannot do
 * this from berth's table: a drop in iptables' FORWARD chain wins over an accept elsewhere.
 */
export function forwardRestoreScript(chain: string, nets: readonly FirewallNetwork[]): string {
  let out = `*filter\n:${chain} - [0:0]\n`;
  for (const n of nets) {
    out += `-A ${chain} -o ${n.bridge} -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT\n`;
    out += `-A ${chain} -i ${n.bridge} -j ACCEPT\n`;
  }
  return `${out}COMMIT\n`;
}

const execFileP = promisify(execFile);

async function iptables(args: string[]): Promise<boolean> {
  try {
    await execFileP('iptables', ['-w', ...args]);
    return true;
  } catch {
    return false;
  }
}

async function applyForward(chain: string, nets: readonly FirewallNetwork[]): Promise<void> {
  if (nets.length === 0) {
    while (await iptables(['-D', 'FORWARD', '-j', chain])) {}
    if (await iptables(['-F', chain])) await iptables(['-X', chain]);
    return;
  }
  await run(
    'iptables-restore',
    ['-w', '--noflush'],
    forwardRestoreScript(chain, nets),
    `iptables chain ${chain}`,
  );
  if (!(await iptables(['-C', 'FORWARD', '-j', chain])) && !(await iptables(['-I', 'FORWARD', '-j', chain])))
    throw new NetworkError('EFIREWALL', `cannot add the jump from FORWARD to ${chain}`);
}

/**
 * Applies berth's nft table (`nft -f -`: one transaction, the old rules stay if it fails) and
 * the FORWARD accept chain.
 */
export async function applyFirewall(
  table: string,
  forwardChain: string,
  nets: readonly FirewallNetwork[],
): Promise<void> {
  await run('nft', ['-f', '-'], firewallScript(table, nets), `table ${table}`);
  await applyForward(forwardChain, nets);
}

async function run(cmd: string, args: string[], stdin: string, what: string): Promise<void> {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
    child.stdin.end(stdin);
  }).catch((e: Error) => {
    throw new NetworkError('EFIREWALL', `cannot run ${cmd}: ${e.message}`);
  });
  if (code !== 0) throw new NetworkError('EFIREWALL', `${cmd} refused berth's ${what}: ${stderr.trim()}`);
}
