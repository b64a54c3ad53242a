import { describe, expect, it } from 'vitest';
import {
  constants as C,
  capabilityMask,
  capabilityNames,
  capabilityNumber,
  capBoundingRead,
  capget,
  getNoNewPrivs,
  getrlimit,
  prctl,
  rlimitResource,
} from './index.js';

describe('capability helpers', () => {
  it('turns OCI capability names into plan masks and back', () => {
    const mask = capabilityMask(['CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_ADMIN']);
    expect(mask).toBe((1n << 0n) | (1n << 10n) | (1n << 21n));
    expect(capabilityNames(mask)).toEqual(['CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_ADMIN']);
    expect(capabilityNumber('net_raw')).toBe(13);
    expect(() => capabilityMask(['CAP_BERTH'])).toThrow(/unknown capability/);
    expect(rlimitResource('RLIMIT_NOFILE')).toBe(C.RLIMIT_NOFILE);
    expect(capBoundingRead(C.CAP_SYS_ADMIN)).toBe(true);
    expect(getNoNewPrivs()).toBe(false);
  });
});

describe('process attributes', () => {
  it('reads capabilities, no_new_privs and rlimits of this process', () => {
    const caps = capget(0);
    expect(caps.effective & (1n << BigInt(C.CAP_SYS_ADMIN))).not.toBe(0n);
    expect(prctl(C.PR_GET_NO_NEW_PRIVS)).toBe(0);
    const nofile = getrlimit(C.RLIMIT_NOFILE);
    expect(nofile.soft <= nofile.hard).toBe(true);
  });
});
