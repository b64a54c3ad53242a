import { describe, expect, it } from 'vitest';
import { parseOrThrow, SpecValidationError } from '../errors.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { Process, RuntimeSpec } from './config.js';

function expectInvalid(doc: unknown, path: string, message?: RegExp): SpecValidationError {
  try {
    parseOrThrow(RuntimeSpec, doc, 'config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SpecValidationError);
    const e = err as SpecValidationError;
    expect(e.code).toBe('EINVALIDSPEC');
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`config.json: ${path}: `)).toBe(true);
    if (message) expect(e.message).toMatch(message);
    return e;
  }
  throw new Error(`expected config.json to be rejected at ${path}`);
}

describe('RuntimeSpec', () => {
  it('accepts the config.json that `runc spec` writes', () => {
    const spec = parseOrThrow(RuntimeSpec, readFixture('runc-spec.json'), 'config.json');
    expect(spec.process?.args).toEqual(['sh']);
    expect(spec.linux?.resources?.devices).toEqual([{ allow: false, access: 'rwm' }]);
  });

  it('accepts the config.json that `runc spec --rootless` writes', () => {
    const spec = parseOrThrow(RuntimeSpec, readFixture('runc-spec-rootless.json'), 'config.json');
    expect(spec.linux?.namespaces?.map((n) => n.type)).toContain('user');
  });

  it("accepts the runtime spec's full configuration example (every linux section)", () => {
    const spec = parseOrThrow(RuntimeSpec, readFixture('spec-examples/runtime-config.json'), 'config.json');
    expect(spec.linux?.resources?.memory?.limit).toBe(536870912);
    expect(spec.linux?.resources?.rdma?.mlx5_1?.hcaHandles).toBe(3);
    expect(spec.linux?.timeOffsets?.boottime?.secs).toBe(604800);
    expect(spec.hooks?.poststart?.[0]?.timeout).toBe(5);
  });

  it('accepts the minimal document (only ociVersion is required)', () => {
    expect(parseOrThrow(RuntimeSpec, { ociVersion: '1.2.1' }, 'config.json')).toEqual({
      ociVersion: '1.2.1',
    });
  });

  it('accepts and drops unknown fields, keeps annotations whole', () => {
    const doc = { ociVersion: '1.2.1', 'org.example.extra': true, annotations: { 'a.b/c': 'd' } };
    expect(parseOrThrow(RuntimeSpec, doc, 'config.json')).toEqual({
      ociVersion: '1.2.1',
      annotations: { 'a.b/c': 'd' },
    });
  });

  it('accepts 64-bit limits beyond 2^53 (RLIM_INFINITY) like the JSON schema does', () => {
    const doc = clone(readFixture('runc-spec.json')) as { process: { rlimits: unknown[] } };
    doc.process.rlimits = JSON.parse(
      '[{ "type": "RLIMIT_NOFILE", "soft": 18446744073709551615, "hard": 18446744073709551615 }]',
    );
    expect(() => parseOrThrow(RuntimeSpec, doc, 'config.json')).not.toThrow();
  });

  it('names the JSON path of a wrongly typed memory limit', () => {
    const doc = clone(readFixture('spec-examples/runtime-config.json')) as {
      linux: { resources: { memory: { limit: unknown } } };
    };
    doc.linux.resources.memory.limit = '512M';
    const e = expectInvalid(doc, 'linux.resources.memory.limit', /expected number, received string$/);
    expect(e.message).toBe('config.json: linux.resources.memory.limit: expected number, received string');
  });

  it('rejects a missing ociVersion', () => {
    expectInvalid({}, 'ociVersion', /required field is missing/);
  });

  it('rejects a document that is not an object', () => {
    expectInvalid([], '(root)', /expected object/);
  });

  it('names array indices in the path', () => {
    const doc = clone(readFixture('runc-spec.json')) as { mounts: Record<string, unknown>[] };
    delete doc.mounts[2]!.destination;
    expectInvalid(doc, 'mounts[2].destination');
  });

  it('rejects an unknown namespace type', () => {
    const doc = clone(readFixture('runc-spec.json')) as { linux: { namespaces: { type: string }[] } };
    doc.linux.namespaces[1]!.type = 'net';
    expectInvalid(doc, 'linux.namespaces[1].type');
  });

  it('rejects a negative uid mapping', () => {
    const doc = clone(readFixture('runc-spec-rootless.json')) as {
      linux: { uidMappings: { hostID: number }[] };
    };
    doc.linux.uidMappings[0]!.hostID = -1;
    expectInvalid(doc, 'linux.uidMappings[0].hostID');
  });

  it('rejects a fractional pids limit', () => {
    expectInvalid(
      { ociVersion: '1', linux: { resources: { pids: { limit: 1.5 } } } },
      'linux.resources.pids.limit',
      /integer/,
    );
  });

  it('rejects a device of unknown type and a bad hugepage size', () => {
    expectInvalid(
      { ociVersion: '1', linux: { devices: [{ type: 'x', path: '/dev/x' }] } },
      'linux.devices[0].type',
    );
    expectInvalid(
      { ociVersion: '1', linux: { resources: { hugepageLimits: [{ pageSize: '2M', limit: 1 }] } } },
      'linux.resources.hugepageLimits[0].pageSize',
    );
  });

  it('rejects a seccomp rule without syscall names and an unknown action', () => {
    expectInvalid(
      {
        ociVersion: '1',
        linux: {
          seccomp: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [], action: 'SCMP_ACT_ERRNO' }] },
        },
      },
      'linux.seccomp.syscalls[0].names',
    );
    expectInvalid(
      { ociVersion: '1', linux: { seccomp: { defaultAction: 'ALLOW' } } },
      'linux.seccomp.defaultAction',
    );
  });

  it('quotes annotation keys that are not identifiers', () => {
    expectInvalid({ ociVersion: '1', annotations: { 'org.example/x': 5 } }, 'annotations["org.example/x"]');
  });

  it('rejects a hook with a zero timeout and a bad rlimit name', () => {
    expectInvalid(
      { ociVersion: '1', hooks: { poststop: [{ path: '/x', timeout: 0 }] } },
      'hooks.poststop[0].timeout',
    );
    expectInvalid(
      { ociVersion: '1', process: { cwd: '/', rlimits: [{ type: 'NOFILE', soft: 1, hard: 1 }] } },
      'process.rlimits[0].type',
    );
  });

  it('counts further issues in the message', () => {
    const e = expectInvalid({ ociVersion: 1, hostname: 2 }, 'ociVersion');
    expect(e.issues).toHaveLength(2);
    expect(e.message).toMatch(/\(and 1 more\)$/);
  });

  it('requires cwd in process', () => {
    expect(Process.safeParse({ args: ['sh'] }).success).toBe(false);
  });
});
