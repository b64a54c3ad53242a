import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { constants as C, createContainer, encodePlan, SyscallError } from './index.js';

describe('plan wire format', () => {
  it('starts with the BTHP header, its version and total length; records are 8-byte aligned', () => {
    const buf = encodePlan({ args: ['/bin/true'], hostname: 'x' });
    expect(buf.readUInt32LE(0)).toBe(0x50485442);
    expect(buf.readUInt32LE(4)).toBe(1);
    expect(buf.readUInt32LE(8)).toBe(buf.length);
    expect(buf.length % 8).toBe(0);
  });

  it('the engine refuses a record it does not know instead of skipping it', async () => {
    const good = encodePlan({ args: ['/bin/true'] });
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(999, 0); // unknown op, empty payload
    const bad = Buffer.concat([good, extra]);
    bad.writeUInt32LE(bad.length, 8);
    await expect(createContainer(bad)).rejects.toMatchObject({ code: 'EINVALIDPLAN' });
  });

  it('the engine refuses a truncated or foreign buffer', async () => {
    const good = encodePlan({ args: ['/bin/true'] });
    await expect(createContainer(good.subarray(0, good.length - 8))).rejects.toMatchObject({
      code: 'EINVALIDPLAN',
    });
    await expect(createContainer(Buffer.from('not a plan at all'))).rejects.toMatchObject({
      code: 'EINVALIDPLAN',
    });
  });

  it('rejects a namespace that is both created and joined', () => {
    expect(() =>
      encodePlan({
        cloneFlags: C.CLONE_NEWNET,
        joinNamespaces: [{ nstype: C.CLONE_NEWNET, path: '/proc/1/ns/net' }],
        args: ['/bin/true'],
      }),
    ).toThrow(/both created/);
  });

  it('rejects strings with NUL and plans without argv before reaching C', () => {
    expect(() => encodePlan({ args: ['/bin/true\0x'] })).toThrow(/NUL/);
    expect(() => encodePlan({ args: [] })).toThrow();
  });

  it('a cgroup.procs the parent cannot write kills and reaps the child: SyscallError with the path', async () => {
    const children = () => readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').trim();
    const before = children();
    const err = await createContainer({
      cloneFlags: C.CLONE_NEWPID,
      cgroupProcs: ['/sys/fs/cgroup/pids/berth-test-missing-cgroup/cgroup.procs'],
      args: ['/bin/true'],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect(err.code).toBe('ENOENT');
    expect(err.path).toBe('/sys/fs/cgroup/pids/berth-test-missing-cgroup/cgroup.procs');
    expect(children()).toBe(before); // no zombie left
  });

  it('a namespace path that does not exist is the parent side SyscallError, with the path', async () => {
    const err = await createContainer({
      joinNamespaces: [{ nstype: C.CLONE_NEWNET, path: '/nonexistent/berth-netns' }],
      args: ['/bin/true'],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect(err.syscall).toBe('open');
    expect(err.code).toBe('ENOENT');
    expect(err.path).toBe('/nonexistent/berth-netns');
  });
});
