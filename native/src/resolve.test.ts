import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResolveError, resolveInRoot } from './index.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-test-resolve-'));
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInRoot', () => {
  it('joins plain paths and keeps missing components', () => {
    expect(resolveInRoot(root, '/usr/lib/x/y')).toBe(join(root, 'usr/lib/x/y'));
    expect(resolveInRoot(root, 'usr/./lib/')).toBe(join(root, 'usr/lib'));
  });

  it('never climbs above the rootfs with ..', () => {
    expect(resolveInRoot(root, '/../../../etc')).toBe(join(root, 'etc'));
  });

  it('follows absolute and relative symlinks inside the rootfs', () => {
    symlinkSync('/usr/lib', join(root, 'lib'));
    symlinkSync('../../..', join(root, 'usr/lib/up'));
    symlinkSync('/etc/berth', join(root, 'escape'));
    expect(resolveInRoot(root, '/lib/foo')).toBe(join(root, 'usr/lib/foo'));
    expect(resolveInRoot(root, '/usr/lib/up/etc')).toBe(join(root, 'etc'));
    expect(resolveInRoot(root, '/escape')).toBe(join(root, 'etc/berth'));
  });

  it('stops symlink loops', () => {
    symlinkSync('/b', join(root, 'a'));
    symlinkSync('/a', join(root, 'b'));
    expect(() => resolveInRoot(root, '/a/x')).toThrow(ResolveError);
  });
});
