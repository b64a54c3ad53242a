// The bridge plugin (1.1.x) removes its masquerade chain on DEL only when it can still find the
// container's interface: with the netns or the veth gone (a reboot, a crashed container) its DEL
// frees the address but leaves `CNI-<hash>` and the POSTROUTING jump to it. This removes exactly those
// rules, found by the chain name the plugin derives from the network name and container id.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The plugin's chain name: "CNI-" + the first 24 hex digits of sha512(name + containerId). */
export function masqChainName(networkName: string, containerId: string): string {
  return `CNI-${createHash('sha512')
    .update(networkName + containerId)
    .digest('hex')
    .slice(0, 24)}`;
}

async function iptables(args: string[]): Promise<string | undefined> {
  try {
    return (await run('iptables', ['-w', '-t', 'nat', ...args])).stdout;
  } catch {
    return undefined; // no such rule/chain: already clean
  }
}

export async function teardownIpMasq(networkName: string, containerId: string): Promise<void> {
  const chain = masqChainName(networkName, containerId);
  const rules = (await iptables(['-S', 'POSTROUTING'])) ?? '';
  for (const line of rules.split('\n')) {
    const src = / -s (\S+) /.exec(line)?.[1];
    if (!line.endsWith(` -j ${chain}`) || !src) continue;
    const comment = `name: "${networkName}" id: "${containerId}"`;
    await iptables(['-D', 'POSTROUTING', '-s', src, '-m', 'comment', '--comment', comment, '-j', chain]);
  }
  if ((await iptables(['-F', chain])) !== undefined) await iptables(['-X', chain]);
}
