import { describe, expect, it } from 'vitest';
import { defaultSpec } from './default-spec.js';
import { parseOrThrow } from './errors.js';
import { RuntimeSpec } from './runtime/config.js';
import { readFixture } from './test-support/fixtures.js';
import { OCI_RUNTIME_SPEC_VERSION } from './version.js';

// The fixtures are `runc spec` and `runc spec --rootless` output of Debian 12's runc 1.1.5, run as root
// (so the rootless mappings map host uid/gid 0). runc 1.1 writes ociVersion 1.0.2-dev.

describe('defaultSpec', () => {
  it('has the same content as `runc spec`', () => {
    expect(defaultSpec({ ociVersion: '1.0.2-dev' })).toEqual(readFixture('runc-spec.json'));
  });

  it('has the same content as `runc spec --rootless` (for uid/gid 0)', () => {
    expect(defaultSpec({ rootless: true, hostUid: 0, hostGid: 0, ociVersion: '1.0.2-dev' })).toEqual(
      readFixture('runc-spec-rootless.json'),
    );
  });

  it('maps the given host ids when rootless', () => {
    const spec = defaultSpec({ rootless: true, hostUid: 1000, hostGid: 1001 });
    expect(spec.linux?.uidMappings).toEqual([{ containerID: 0, hostID: 1000, size: 1 }]);
    expect(spec.linux?.gidMappings).toEqual([{ containerID: 0, hostID: 1001, size: 1 }]);
  });

  it('writes the implemented spec version by default and validates against RuntimeSpec', () => {
    const spec = defaultSpec();
    expect(spec.ociVersion).toBe(OCI_RUNTIME_SPEC_VERSION);
    expect(parseOrThrow(RuntimeSpec, spec, 'config.json')).toEqual(spec);
  });

  it('returns a fresh object each call', () => {
    const a = defaultSpec();
    a.process?.args?.push('-c');
    a.process?.capabilities?.bounding?.push('CAP_SYS_ADMIN');
    expect(defaultSpec().process?.args).toEqual(['sh']);
    expect(defaultSpec().process?.capabilities?.bounding).toHaveLength(3);
  });
});
