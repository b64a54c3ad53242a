import type { Controller } from '../controller.js';
import { writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';

export const NET_PRIO_IFPRIOMAP = 'net_prio.ifpriomap';
const NAME = 'net_prio';

export const netPrio: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => (r.network?.priorities?.length ?? 0) > 0,
  apply(r: LinuxResources, dir: string): void {
    // One "ifname priority" pair per write.
    for (const p of r.network?.priorities ?? [])
      writeCgroupFile(NAME, dir, NET_PRIO_IFPRIOMAP, `${p.name} ${p.priority}`);
  },
};
