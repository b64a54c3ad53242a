import { type Controller, deviceNumber } from '../controller.js';
import { unsupported } from '../errors.js';
import { writeCgroupFile } from '../fs.js';
import type { LinuxDeviceCgroup, LinuxResources } from '../resources.js';

export const DEVICES_ALLOW = 'devices.allow';
export const DEVICES_DENY = 'devices.deny';
export const DEVICES_LIST = 'devices.list';

const NAME = 'devices';

/** The v1 rule text for one OCI device entry: "c 1:3 rwm", or "a" for every device. */
export function deviceRule(d: LinuxDeviceCgroup): string {
  const type = d.type ?? 'a';
  const access = d.access ?? 'rwm';
  if (!['a', 'b', 'c'].includes(type))
    throw unsupported(NAME, DEVICES_ALLOW, `device type ${type} is not a, b or c`);
  if (!/^[rwm]*$/.test(access))
    throw unsupported(NAME, DEVICES_ALLOW, `device access ${access} is not [rwm]*`);
  // "a" alone switches the whole default (allow-all or deny-all) and clears the exception list.
  if (type === 'a' && (d.major ?? -1) < 0 && (d.minor ?? -1) < 0 && access === 'rwm') return 'a';
  return `${type} ${deviceNumber(d.major, d.minor)} ${access}`;
}

export const devices: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => r.devices !== undefined,
  apply(r: LinuxResources, dir: string): void {
    // Deny everything, then replay the OCI list in order (later entries win, as in the spec).
    writeCgroupFile(NAME, dir, DEVICES_DENY, 'a');
    for (const d of r.devices ?? []) {
      writeCgroupFile(NAME, dir, d.allow ? DEVICES_ALLOW : DEVICES_DENY, deviceRule(d));
    }
  },
};
