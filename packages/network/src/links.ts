// The few link operations the CNI plugins leave to the runtime: the bridge plugin makes a
// network's bridge but never deletes it, so `remove` deletes it here over rtnetlink (the netlink
// package ships prebuilt N-API binaries; no `ip` binary on berth's paths).
import { existsSync } from 'node:fs';
import { createRtNetlink } from 'netlink';

/** Whether a link of that name exists in the caller's network namespace. */
export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/** Deletes the link `name` if it exists. */
export async function deleteLink(name: string): Promise<void> {
  if (!linkExists(name)) return;
  const sock = createRtNetlink();
  try {
    const links = await sock.getLinks();
    const link = links.find((l) => l.attrs.ifname === name);
    if (link) await sock.delLink({ index: link.data.index });
  } finally {
    sock.socket.close();
  }
}
