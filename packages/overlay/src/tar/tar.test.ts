// Interop of the hand-written tar reader/writer with GNU tar (gnu and posix formats).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lgetxattr, lsetxattr } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLayer } from '../apply.js';
import { chunks, makeTar, tempDir } from '../test-support/tars.js';
import type { TarHeader } from './header.js';
import { TarReader } from './reader.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('tar');
});
afterEach(() => tmp.cleanup());

const longDir = `${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(90)}`;
const longName = `${longDir}/${'n'.repeat(120)}`;

function headers(tar: Buffer): TarHeader[] {
  const out: TarHeader[] = [];
  const reader = new TarReader({ entry: (h) => void out.push(h), data: () => {}, entryEnd: () => {} });
  for (let i = 0; i < tar.length; i += 777) reader.write(tar.subarray(i, i + 777));
  reader.end();
  return out;
}

describe('tar interop with GNU tar', () => {
  for (const format of ['gnu', 'posix'] as const) {
    it(`reads long names, long link targets and xattrs written by GNU tar --format=${format}`, async () => {
      const src = join(tmp.dir, 'src');
      mkdirSync(join(src, longDir), { recursive: true });
      writeFileSync(join(src, longName), 'deep');
      symlinkSync(longName, join(src, 'link'));
      writeFileSync(join(src, 'x'), 'x');
      const value = Buffer.from([0, 1, 2, 0xff, 0xfe]);
      lsetxattr(join(src, 'x'), 'user.berth.binary', value);
      const tar = execFileSync('tar', [
        '-C',
        src,
        `--format=${format}`,
        '--xattrs',
        '--xattrs-include=user.*',
        '-c',
        '.',
      ]);
      const byName = new Map(headers(tar).map((h) => [h.name.replace(/^\.\//, ''), h]));
      expect(byName.get(longName)?.size).toBe(4);
      expect(byName.get('link')?.linkname).toBe(longName);
      if (format === 'posix') expect(byName.get('x')?.xattrs.get('user.berth.binary')).toEqual(value);
      const out = join(tmp.dir, 'out');
      mkdirSync(out);
      await applyLayer(out, chunks(tar, 1000));
      expect(readFileSync(join(out, longName), 'utf8')).toBe('deep');
      expect(readlinkSync(join(out, 'link'))).toBe(longName);
      if (format === 'posix') expect(lgetxattr(join(out, 'x'), 'user.berth.binary')).toEqual(value);
    });
  }

  it('writes tars GNU tar extracts: ustar prefix, pax path, pax xattrs, devices', () => {
    const tar = makeTar([
      { name: `${'p'.repeat(120)}/short`, data: 'prefix split' },
      { name: `${'q'.repeat(200)}`, data: 'pax path' },
      { name: 'attrs', data: 'a', xattrs: new Map([['user.k', Buffer.from([0, 9, 0xff])]]) },
      { name: 'nul', type: 'char', devmajor: 1, devminor: 3 },
    ]);
    const out = join(tmp.dir, 'gnu');
    mkdirSync(out);
    execFileSync('tar', ['-C', out, '--xattrs', '--xattrs-include=user.*', '-x'], { input: tar });
    expect(readFileSync(join(out, `${'p'.repeat(120)}/short`), 'utf8')).toBe('prefix split');
    expect(readFileSync(join(out, 'q'.repeat(200)), 'utf8')).toBe('pax path');
    expect(lgetxattr(join(out, 'attrs'), 'user.k')).toEqual(Buffer.from([0, 9, 0xff]));
    const listing = execFileSync('tar', ['-tv'], { input: tar, encoding: 'utf8' });
    expect(listing).toMatch(/^c.* 1,3 .* nul$/m);
  });

  it('rejects a header with a bad checksum', () => {
    const tar = makeTar([{ name: 'a', data: 'x' }]);
    tar[0] = 'b'.charCodeAt(0);
    expect(() => headers(tar)).toThrow(expect.objectContaining({ code: 'EBADLAYER' }));
  });
});
