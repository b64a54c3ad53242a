import { describe, expect, it } from 'vitest';
import { expandSlice, parseSystemdCgroupsPath, resolveCgroupsPath } from './paths.js';

describe('systemd slice:prefix:name', () => {
  it('expands nested slices like systemd', () => {
    expect(expandSlice('-.slice')).toBe('/');
    expect(expandSlice('system.slice')).toBe('/system.slice');
    expect(expandSlice('a-b-c.slice')).toBe('/a.slice/a-b.slice/a-b-c.slice');
  });

  it('rejects malformed slices', () => {
    for (const bad of ['a', 'a/b.slice', '-a.slice', 'a-.slice', 'a--b.slice', '.slice']) {
      expect(() => expandSlice(bad), bad).toThrow(expect.objectContaining({ code: 'ECGROUPPATH' }));
    }
  });

  it('maps slice:prefix:name to slice path + prefix-name.scope, with system.slice as the default', () => {
    expect(resolveCgroupsPath('user-1000.slice:berth:abc')).toEqual({
      path: '/user.slice/user-1000.slice/berth-abc.scope',
      systemd: { slice: 'user-1000.slice', prefix: 'berth', name: 'abc', unit: 'berth-abc.scope' },
    });
    expect(resolveCgroupsPath(':berth:abc').path).toBe('/system.slice/berth-abc.scope');
    expect(resolveCgroupsPath('system.slice::abc').path).toBe('/system.slice/abc.scope');
  });

  it('treats a name ending in .slice as a slice unit', () => {
    expect(parseSystemdCgroupsPath('system.slice:x:machine-berth.slice').unit).toBe('machine-berth.slice');
    expect(resolveCgroupsPath('system.slice:x:machine-berth.slice').path).toBe(
      '/machine.slice/machine-berth.slice',
    );
  });

  it('needs three parts and a name', () => {
    expect(() => resolveCgroupsPath('a:b', { driver: 'systemd' })).toThrow(/slice:prefix:name/);
    expect(() => resolveCgroupsPath('system.slice:p:', { driver: 'systemd' })).toThrow(/name part is empty/);
  });
});

describe('path form', () => {
  it('keeps absolute paths, clamping .. at the root', () => {
    expect(resolveCgroupsPath('/berth/abc').path).toBe('/berth/abc');
    expect(resolveCgroupsPath('/../../berth/./abc/').path).toBe('/berth/abc');
  });

  it('places relative paths under relativeTo', () => {
    expect(resolveCgroupsPath('berth/abc', { relativeTo: '/user.slice' }).path).toBe('/user.slice/berth/abc');
    expect(resolveCgroupsPath('a:b', { driver: 'cgroupfs' }).path).toBe('/a:b');
  });

  it('refuses the root cgroup and empty paths', () => {
    expect(() => resolveCgroupsPath('/')).toThrow(/root cgroup/);
    expect(() => resolveCgroupsPath('')).toThrow(/empty/);
  });
});
