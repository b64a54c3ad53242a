import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { readFixture } from '../test-support/fixtures.js';
import { Features } from './features.js';

describe('Features', () => {
  it("accepts the spec's features.json example", () => {
    const f = Features.parse(readFixture('spec-examples/runtime-features.json'));
    expect(f.linux?.cgroup?.v2).toBe(true);
    expect(f.linux?.mountExtensions?.idmap?.enabled).toBe(true);
  });

  it('rejects an unknown namespace, a bad capability name and missing versions', () => {
    const ok = { ociVersionMin: '1.0.0', ociVersionMax: '1.2.1' };
    expectInvalid(Features, { ...ok, linux: { namespaces: ['net'] } }, 'linux.namespaces[0]');
    expectInvalid(Features, { ...ok, linux: { capabilities: ['SYS_ADMIN'] } }, 'linux.capabilities[0]');
    expectInvalid(Features, { ociVersionMin: '1.0.0' }, 'ociVersionMax');
  });
});
