import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountAll, unmount } from './mount.js';
import { tempDir } from './test-support/tars.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('mount');
});
afterEach(() => tmp.cleanup());

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === path);
}

describe('mountAll / unmount', () => {
  it('undoes what it mounted when a later mount fails', () => {
    const src = join(tmp.dir, 'src');
    const target = join(tmp.dir, 'target');
    mkdirSync(src);
    mkdirSync(target);
    writeFileSync(join(src, 'f'), 'x');
    expect(() =>
      mountAll(
        [
          { type: 'bind', source: src, options: ['rw', 'rbind'] },
          { type: 'overlay', source: 'overlay', options: [`lowerdir=${join(tmp.dir, 'missing')}`] },
        ],
        target,
      ),
    ).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'mount' }));
    expect(mounted(target)).toBe(false);
  });

  it('unmount of something not mounted is not an error, and a normal unmount is not lazy', () => {
    const src = join(tmp.dir, 'src');
    const target = join(tmp.dir, 'target');
    mkdirSync(src);
    mkdirSync(target);
    expect(unmount(target)).toEqual({ lazy: false });
    mountAll([{ type: 'bind', source: src, options: ['ro', 'rbind'] }], target);
    try {
      expect(mounted(target)).toBe(true);
      expect(() => writeFileSync(join(target, 'w'), 'x')).toThrow(expect.objectContaining({ code: 'EROFS' }));
    } finally {
      expect(unmount(target)).toEqual({ lazy: false });
    }
    expect(mounted(target)).toBe(false);
  });
});
