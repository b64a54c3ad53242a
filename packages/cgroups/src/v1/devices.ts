import { type Controller, deviceNumber } from '../controller.js';
import { unsupported } from '../errors.js';
import { readCgroupFile, writeCgroupFile } from '../fs.js';
import type { LinuxDeviceCgroup, LinuxResources } from '../resources.js';

export const DEVICES_ALLOW = 'devices.allow';
export const DEVICES_DENY = 'devices.deny';
export const DEVICES_LIST = 'devices.list';

const NAME = 'devices';
const ACCESS_ORDER = 'rwm';

/**
 * The v1 rule text for one OCI device entry: "c 1:3 rwm", or "a" for every device. The kernel reads any
 * rule of type `a` as "all devices, all access" (it switches the default and clears the exceptions), so
 * an `a` rule narrowed by number or access cannot be expressed on v1 and is refused.
 */
export function deviceRule(d: LinuxDeviceCgroup): string {
  const type = d.type ?? 'a';
  const access = d.access ?? 'rwm';
  if (!['a', 'b', 'c'].includes(type)) {
    throw unsupported(NAME, DEVICES_ALLOW, `device type ${type} is not a, b or c`);
  }
  if (!/^[rwm]*$/.test(access))
    throw unsupported(NAME, DEVICES_ALLOW, `device access ${access} is not [rwm]*`);
  if (type === 'a') {
    if ((d.major ?? -1) >= 0 || (d.minor ?? -1) >= 0 || normaliseAccess(access) !== ACCESS_ORDER) {
      throw unsupported(NAME, DEVICES_ALLOW, 'a type-"a" rule must cover every device and rwm on cgroup v1');
    }
    return 'a';
  }
  return `${type} ${deviceNumber(d.major, d.minor)} ${normaliseAccess(access)}`;
}

function normaliseAccess(access: string): string {
  return [...ACCESS_ORDER].filter((c) => access.includes(c)).join('');
}

/** A device cgroup's state: the default and its exceptions ("c 1:3" → access letters). */
export interface DeviceState {
  defaultAllow: boolean;
  exceptions: Map<string, string>;
}

/** Replays the OCI list from deny-all, as the kernel would apply the writes (last rule wins). */
export function emulateDeviceRules(rules: readonly LinuxDeviceCgroup[]): DeviceState {
  const state: DeviceState = { defaultAllow: false, exceptions: new Map() };
  for (const d of rules) {
    const rule = deviceRule(d);
    if (rule === 'a') {
      state.defaultAllow = d.allow;
      state.exceptions.clear();
      continue;
    }
    const [type, num, access] = rule.split(' ') as [string, string, string];
    const key = `${type} ${num}`;
    const have = state.exceptions.get(key) ?? '';
    // An exception is the opposite of the default: a rule agreeing with the default removes access from it.
    const merged =
      d.allow !== state.defaultAllow
        ? normaliseAccess(have + access)
        : normaliseAccess([...have].filter((c) => !access.includes(c)).join(''));
    if (merged === '') state.exceptions.delete(key);
    else state.exceptions.set(key, merged);
  }
  return state;
}

/** devices.list: "a *:* rwm" alone in allow-all mode (deny exceptions are not listed), else the allows. */
export function parseDevicesList(text: string): DeviceState | undefined {
  const exceptions = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [type, num, access] = line.trim().split(/\s+/);
    if (!type || !num || !access) continue;
    if (type === 'a') return undefined; // allow-all: its deny exceptions cannot be read back
    exceptions.set(`${type} ${num}`, access);
  }
  return { defaultAllow: false, exceptions };
}

export const devices: Controller = {
  name: NAME,
  needsToHandle: (r: LinuxResources) => r.devices !== undefined,
  apply(r: LinuxResources, dir: string): void {
    const rules = r.devices ?? [];
    const target = emulateDeviceRules(rules);
    const current = parseDevicesList(readCgroupFile(NAME, dir, DEVICES_LIST));
    if (current && !target.defaultAllow) {
      // Deny-all to deny-all (every update of a running container): add the new allows first, then take
      // away what is no longer allowed, so no device the old and new lists both allow is ever refused.
      for (const [key, access] of target.exceptions) {
        const missing = [...access].filter((c) => !(current.exceptions.get(key) ?? '').includes(c)).join('');
        if (missing) writeCgroupFile(NAME, dir, DEVICES_ALLOW, `${key} ${missing}`);
      }
      for (const [key, access] of current.exceptions) {
        const extra = [...access].filter((c) => !(target.exceptions.get(key) ?? '').includes(c)).join('');
        if (extra) writeCgroupFile(NAME, dir, DEVICES_DENY, `${key} ${extra}`);
      }
      return;
    }
    // Otherwise (a fresh cgroup is allow-all, or the new list allows all by default): deny everything,
    // then replay the OCI list in order, later entries winning as in the spec.
    writeCgroupFile(NAME, dir, DEVICES_DENY, 'a');
    for (const d of rules) writeCgroupFile(NAME, dir, d.allow ? DEVICES_ALLOW : DEVICES_DENY, deviceRule(d));
  },
};
