import type { Controller } from '../controller.js';
import { writeCgroupFile } from '../fs.js';
import type { LinuxResources } from '../resources.js';

export const NET_CLS_CLASSID = 'net_cls.classid';
const NAME = 'net_cls';

export const netCls: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => r.network?.classID !== undefined,
  apply(r: LinuxResources, dir: string): void {
    if (r.network?.classID !== undefined) writeCgroupFile(NAME, dir, NET_CLS_CLASSID, r.network.classID);
  },
};
