import { describe, expect, it } from 'vitest';
import { createManager } from './factory.js';
import { detectLayout } from './layout.js';
import { V1Manager } from './v1/manager.js';
import { V2Manager } from './v2/manager.js';

const HYBRID = `32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
`;
const UNIFIED = '30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n';

describe('createManager', () => {
  it('uses v1 on hybrid and legacy hosts, with a directory per hierarchy', () => {
    const m = createManager({ cgroupsPath: '/berth/abc', layout: detectLayout(HYBRID) });
    expect(m).toBeInstanceOf(V1Manager);
    expect((m as V1Manager).dirs).toEqual({ memory: '/sys/fs/cgroup/memory/berth/abc' });
    expect(m.procsFiles()).toEqual(['/sys/fs/cgroup/memory/berth/abc/cgroup.procs']);
  });

  it('uses v2 on unified hosts and maps the systemd form to its path', () => {
    const m = createManager({ cgroupsPath: 'system.slice:berth:abc', layout: detectLayout(UNIFIED) });
    expect(m).toBeInstanceOf(V2Manager);
    expect((m as V2Manager).dir).toBe('/sys/fs/cgroup/system.slice/berth-abc.scope');
    expect(m.version).toBe(2);
    expect(m.procsFiles()).toEqual(['/sys/fs/cgroup/system.slice/berth-abc.scope/cgroup.procs']);
  });

  it('creates nothing until create()', () => {
    const m = createManager({ cgroupsPath: '/berth-never-created' });
    expect(m.path).toBe('/berth-never-created');
  });

  it('validates its options', () => {
    expect(() => createManager({ cgroupsPath: '' })).toThrow(
      expect.objectContaining({ code: 'ECGROUPPATH' }),
    );
    expect(() => createManager({ cgroupsPath: 'x', relativeTo: 'rel' })).toThrow(/relativeTo/);
  });
});
