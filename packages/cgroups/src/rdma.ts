import type { Controller } from './controller.js';
import { writeCgroupFile } from './fs.js';
import type { LinuxResources } from './resources.js';

export const RDMA_MAX = 'rdma.max';
const NAME = 'rdma';

/** rdma.max lines, one per device: "mlx5_1 hca_handle=2 hca_object=2000" with only the keys that are set. */
export function rdmaMaxLines(r: LinuxResources): string[] {
  const out: string[] = [];
  for (const [device, limits] of Object.entries(r.rdma ?? {})) {
    const parts: string[] = [];
    if (limits.hcaHandles !== undefined) parts.push(`hca_handle=${limits.hcaHandles}`);
    if (limits.hcaObjects !== undefined) parts.push(`hca_object=${limits.hcaObjects}`);
    if (parts.length > 0) out.push(`${device} ${parts.join(' ')}`);
  }
  return out;
}

/** The rdma controller has the same file and format on v1 and v2 (admin-guide/cgroup-v1/rdma.rst). */
export const rdma: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => rdmaMaxLines(r).length > 0,
  apply(r: LinuxResources, dir: string): void {
    for (const line of rdmaMaxLines(r)) writeCgroupFile(NAME, dir, RDMA_MAX, line); // one device per write
  },
};
