import { describe, expect, it } from 'vitest';
import { detectLayout, parseMountInfo, parseProcCgroup } from './layout.js';

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
`;

describe('detectLayout', () => {
  it('finds hybrid: v1 controllers plus a cgroup2 mount; co-mounted controllers share one hierarchy', () => {
    const l = detectLayout(HYBRID);
    expect(l.kind).toBe('hybrid');
    if (l.kind !== 'hybrid') return;
    expect(l.unified.mountPoint).toBe('/sys/fs/cgroup/unified');
    expect(l.v1.cpu).toEqual({
      mountPoint: '/sys/fs/cgroup/cpu,cpuacct',
      root: '/',
      controllers: ['cpu', 'cpuacct'],
    });
    expect(l.v1.cpuacct).toBe(l.v1.cpu);
    expect(l.v1.memory?.mountPoint).toBe('/sys/fs/cgroup/memory');
    expect(Object.keys(l.v1)).not.toContain('systemd'); // a named hierarchy carries no controller
  });

  it('finds pure v2 and pure v1', () => {
    expect(detectLayout('30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n')).toEqual({
      kind: 'unified',
      unified: { mountPoint: '/sys/fs/cgroup', root: '/' },
    });
    expect(detectLayout(HYBRID.split('\n').slice(0, 3).join('\n')).kind).toBe('legacy');
  });

  it('throws ECGROUPLAYOUT without any cgroup mount', () => {
    expect(() => detectLayout('22 1 0:5 / /proc rw - proc proc rw\n')).toThrow(
      expect.objectContaining({ code: 'ECGROUPLAYOUT' }),
    );
  });

  it('decodes octal escapes and keeps the mount root (cgroup namespaces)', () => {
    const [m] = parseMountInfo('50 31 0:40 /ns\\040root /mnt/a\\040b rw - cgroup2 none rw\n');
    expect(m).toMatchObject({ root: '/ns root', mountPoint: '/mnt/a b', fsType: 'cgroup2', source: 'none' });
  });

  it('detects this host from /proc/self/mountinfo', () => {
    expect(['unified', 'legacy', 'hybrid']).toContain(detectLayout().kind);
  });
});

describe('parseProcCgroup', () => {
  it('maps each v1 controller and the v2 entry', () => {
    const m = parseProcCgroup('4:memory:/a/b\n1:cpu,cpuacct:/\n9:name=systemd:/x\n0::/u\n');
    expect(m.get('memory')).toBe('/a/b');
    expect(m.get('cpuacct')).toBe('/');
    expect(m.get('name=systemd')).toBe('/x');
    expect(m.get('')).toBe('/u');
  });
});
