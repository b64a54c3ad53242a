import { constants } from '@berth/native';
import { defaultSpec, type LinuxNamespace } from '@berth/oci-spec';
import { describe, expect, it } from 'vitest';
import { NamespaceError, namespacePlan } from './index.js';

describe('namespacePlan (the namespace part of config.json -> init plan)', () => {
  it('makes new namespaces without a path and joins those with one', () => {
    const plan = namespacePlan({
      linux: {
        namespaces: [{ type: 'pid' }, { type: 'network', path: '/run/netns/berth-x' }, { type: 'mount' }],
      },
    });
    expect(plan.cloneFlags).toBe(constants.CLONE_NEWPID | constants.CLONE_NEWNS);
    expect(plan.joinNamespaces).toEqual([{ nstype: constants.CLONE_NEWNET, path: '/run/netns/berth-x' }]);
    expect(plan.uidMap).toBeUndefined();
  });

  it('writes the id maps of a new user namespace', () => {
    const m = [{ containerID: 0, hostID: 100000, size: 65536 }];
    const plan = namespacePlan(
      { linux: { namespaces: [{ type: 'user' }], uidMappings: m, gidMappings: m } },
      { denySetgroups: true },
    );
    expect(plan.cloneFlags).toBe(constants.CLONE_NEWUSER);
    expect(plan.uidMap).toBe('0 100000 65536\n');
    expect(plan.gidMap).toBe('0 100000 65536\n');
    expect(plan.setgroupsDeny).toBe(true);
  });

  it('rejects duplicates, unknown types, relative paths and stray or missing mappings', () => {
    expect(() => namespacePlan({ linux: { namespaces: [{ type: 'pid' }, { type: 'pid' }] } })).toThrow(
      /linux.namespaces\[1\].type: duplicate/,
    );
    // JavaScript callers and unvalidated JSON can still pass /proc names or junk
    const procName = { type: 'net' } as unknown as LinuxNamespace;
    expect(() => namespacePlan({ linux: { namespaces: [procName] } })).toThrow(NamespaceError);
    expect(() => namespacePlan({ linux: { namespaces: [{ type: 'ipc', path: 'rel' }] } })).toThrow(
      /absolute/,
    );
    expect(() => namespacePlan({ linux: { namespaces: [{ type: 'user' }] } })).toThrow(/needs uidMappings/);
    expect(() =>
      namespacePlan({ linux: { uidMappings: [{ containerID: 0, hostID: 1, size: 1 }], namespaces: [] } }),
    ).toThrow(/need a new user namespace/);
  });

  it('carries timeOffsets of a new time namespace and refuses them otherwise', () => {
    const plan = namespacePlan({
      linux: { namespaces: [{ type: 'time' }], timeOffsets: { boottime: { secs: 5 } } },
    });
    expect(plan.timeOffsets).toEqual([{ clock: 'boottime', secs: 5, nanosecs: 0 }]);
    expect(() => namespacePlan({ linux: { timeOffsets: { monotonic: { secs: 1 } } } })).toThrow(
      /new time namespace/,
    );
  });

  it('takes a whole RuntimeSpec: runc spec default and its rootless variant', () => {
    const plan = namespacePlan(defaultSpec());
    expect(plan.cloneFlags).toBe(
      constants.CLONE_NEWPID |
        constants.CLONE_NEWNET |
        constants.CLONE_NEWIPC |
        constants.CLONE_NEWUTS |
        constants.CLONE_NEWNS,
    );
    const rootless = namespacePlan(defaultSpec({ rootless: true, hostUid: 1000, hostGid: 1000 }), {
      denySetgroups: true,
    });
    expect(rootless.cloneFlags & constants.CLONE_NEWUSER).not.toBe(0);
    expect(rootless.uidMap).toBe('0 1000 1\n');
  });

  it('an empty spec shares every namespace with the caller', () => {
    expect(namespacePlan({})).toEqual({ cloneFlags: 0, joinNamespaces: [], setgroupsDeny: false });
  });
});
