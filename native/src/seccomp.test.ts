import { describe, expect, it } from 'vitest';
import { compileSeccomp, SeccompProfileError } from './index.js';

const profile = {
  defaultAction: 'SCMP_ACT_ERRNO',
  syscalls: [{ names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW' }],
};

describe('compileSeccomp', () => {
  it('gives the same program for the same profile, from its cache, as a copy the caller may change', () => {
    const a = compileSeccomp(profile);
    const b = compileSeccomp(structuredClone(profile));
    expect(b.program.equals(a.program)).toBe(true);
    expect(b.program).not.toBe(a.program);
    a.program.fill(0);
    expect(compileSeccomp(profile).program.equals(b.program)).toBe(true);
  });

  it('a different profile is compiled anew', () => {
    const other = compileSeccomp({ ...profile, defaultAction: 'SCMP_ACT_KILL' });
    expect(other.program.equals(compileSeccomp(profile).program)).toBe(false);
  });

  it('bad input is still refused (not served from the cache)', () => {
    expect(() => compileSeccomp({ defaultAction: 'SCMP_ACT_NOPE' })).toThrow(SeccompProfileError);
    expect(() => compileSeccomp({ defaultAction: 'SCMP_ACT_NOPE' })).toThrow(SeccompProfileError);
  });
});
