import { constants } from '@berth/native';
import { describe, expect, it } from 'vitest';
import { kindsFromFlags, NamespaceError, namespaceFlags, parseNamespaceKind } from './index.js';

describe('namespace kinds', () => {
  it('maps OCI names to the clone flags from the C headers', () => {
    expect(namespaceFlags(['network', 'mount'])).toBe(constants.CLONE_NEWNET | constants.CLONE_NEWNS);
    expect(kindsFromFlags(constants.CLONE_NEWPID | constants.CLONE_NEWUSER)).toEqual(['pid', 'user']);
    expect(namespaceFlags(['time'])).toBe(0x80);
  });

  it('accepts /proc names and rejects unknown ones with a NamespaceError', () => {
    expect(parseNamespaceKind('net')).toBe('network');
    expect(parseNamespaceKind('mnt')).toBe('mount');
    expect(() => parseNamespaceKind('bogus', 'x')).toThrow(NamespaceError);
  });
});
