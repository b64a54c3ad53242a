import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lgetxattr } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLayer } from './apply.js';
import { chunks, makeTar, tempDir } from './test-support/tars.js';

let tmp: { dir: string; cleanup: () => void };
let target: string;
beforeEach(() => {
  tmp = tempDir('apply');
  target = join(tmp.dir, 'target');
  mkdirSync(target);
});
afterEach(() => tmp.cleanup());

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      out.push(r);
      if (lstatSync(join(root, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

describe('applyLayer', () => {
  it('writes every entry kind with owner, mode, mtime and binary xattrs, and returns the DiffID', async () => {
    const cap = Buffer.from([1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const tar = makeTar([
      { name: './', type: 'dir', mode: 0o755 },
      { name: 'bin/', type: 'dir', mode: 0o750, uid: 10, gid: 20, mtime: 1_600_000_000 },
      { name: 'bin/ping', data: 'elf', mode: 0o4755, xattrs: new Map([['security.capability', cap]]) },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/busybox', data: 'x'.repeat(5000), mode: 0o755, uid: 1000, gid: 1000 },
      { name: 'bin/ash', type: 'link', linkname: 'bin/busybox' },
      { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'run/fifo', type: 'fifo', mode: 0o600 },
      { name: 'user.txt', data: 'hi', xattrs: new Map([['user.berth', Buffer.from('v')]]) },
    ]);
    const progress: number[] = [];
    const result = await applyLayer(target, chunks(tar), { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(tar.length);
    expect(result.diffId).toBe(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
    expect(result.size).toBe(tar.length);
    const bin = lstatSync(join(target, 'bin'));
    expect([bin.mode & 0o7777, bin.uid, bin.gid, bin.mtimeMs / 1000]).toEqual([0o750, 10, 20, 1_600_000_000]);
    expect(lstatSync(join(target, 'bin/ping')).mode & 0o7777).toBe(0o4755);
    expect(lgetxattr(join(target, 'bin/ping'), 'security.capability')).toEqual(cap);
    expect(readlinkSync(join(target, 'bin/sh'))).toBe('busybox');
    const bb = lstatSync(join(target, 'bin/busybox'));
    expect([bb.uid, bb.gid, bb.size, bb.nlink]).toEqual([1000, 1000, 5000, 2]);
    expect(lstatSync(join(target, 'bin/ash')).ino).toBe(bb.ino);
    const dev = lstatSync(join(target, 'dev/null'));
    expect(dev.isCharacterDevice() && dev.rdev).toBe((1 << 8) | 3);
    expect(lstatSync(join(target, 'run/fifo')).isFIFO()).toBe(true);
    expect(lgetxattr(join(target, 'user.txt'), 'user.berth')?.toString()).toBe('v');
    expect(readdirSync(tmp.dir)).toEqual(['target']); // the staging dir is gone
  });

  it('reads gzip and zstd layers made by GNU tar and the zstd CLI', async () => {
    const src = join(tmp.dir, 'src');
    mkdirSync(join(src, 'a/b'), { recursive: true });
    writeFileSync(join(src, 'a/b/file'), 'content');
    symlinkSync('b/file', join(src, 'a/link'));
    const tar = execFileSync('tar', ['-C', src, '-c', '.']);
    for (const [i, blob] of [gzipSync(tar), execFileSync('zstd', ['-q', '-c'], { input: tar })].entries()) {
      const t = join(tmp.dir, `t${i}`);
      mkdirSync(t);
      const result = await applyLayer(t, chunks(blob, 7));
      expect(result.diffId).toBe(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
      expect(readFileSync(join(t, 'a/link'), 'utf8')).toBe('content');
    }
  });

  it('turns OCI whiteouts into overlay whiteouts and opaque dirs', async () => {
    const tar = makeTar([
      { name: 'etc/', type: 'dir' },
      { name: 'etc/.wh.passwd' },
      { name: 'var/', type: 'dir' },
      { name: 'var/.wh..wh..opq' },
      { name: 'var/new', data: 'n' },
    ]);
    await applyLayer(target, chunks(tar));
    const wh = lstatSync(join(target, 'etc/passwd'));
    expect(wh.isCharacterDevice() && wh.rdev).toBe(0);
    expect(lgetxattr(join(target, 'var'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(listTree(target)).toEqual(['etc', 'etc/passwd', 'var', 'var/new']);
  });

  it('in direct mode deletes whited-out paths and empties opaque dirs of an existing tree', async () => {
    for (const p of ['etc', 'var/old', 'keep']) mkdirSync(join(target, p), { recursive: true });
    writeFileSync(join(target, 'etc/passwd'), 'root');
    writeFileSync(join(target, 'etc/group'), 'g');
    writeFileSync(join(target, 'var/old/x'), 'x');
    const tar = makeTar([
      { name: 'etc/.wh.passwd' },
      { name: 'var/.wh..wh..opq' },
      { name: 'var/new', data: 'n' },
      { name: 'etc/group', data: 'new group' },
    ]);
    await applyLayer(target, chunks(tar), { mode: 'direct' });
    expect(listTree(target)).toEqual(['etc', 'etc/group', 'keep', 'var', 'var/new']);
    expect(readFileSync(join(target, 'etc/group'), 'utf8')).toBe('new group');
  });

  it('follows symlinked parents inside the root, also through lower layers, and copies up hard link sources', async () => {
    const lower = join(tmp.dir, 'lower');
    mkdirSync(join(lower, 'usr/lib'), { recursive: true });
    symlinkSync('usr/lib', join(lower, 'lib'));
    symlinkSync('/usr/lib', join(lower, 'abs'));
    writeFileSync(join(lower, 'usr/lib/libc.so'), 'libc');
    const tar = makeTar([
      { name: 'lib/one', data: '1' },
      { name: 'abs/two', data: '2' },
      { name: 'libc-link', type: 'link', linkname: 'lib/libc.so' },
    ]);
    await applyLayer(target, chunks(tar), { lowers: [lower] });
    expect(listTree(target)).toEqual([
      'libc-link',
      'usr',
      'usr/lib',
      'usr/lib/libc.so',
      'usr/lib/one',
      'usr/lib/two',
    ]);
    expect(lstatSync(join(target, 'libc-link')).ino).toBe(lstatSync(join(target, 'usr/lib/libc.so')).ino);
    expect(lstatSync(join(target, 'libc-link')).ino).not.toBe(lstatSync(join(lower, 'usr/lib/libc.so')).ino);
  });

  it('lets a later entry for the same path replace an earlier one (file, dir, symlink)', async () => {
    const tar = makeTar([
      { name: 'x', data: 'first' },
      { name: 'x', data: 'second' },
      { name: 'd', data: 'was a file' },
      { name: 'd/', type: 'dir' },
      { name: 'd/inner', data: 'in' },
      { name: 's', type: 'symlink', linkname: '/etc/passwd' },
      { name: 's', data: 'not written through the symlink' },
    ]);
    await applyLayer(target, chunks(tar));
    expect(readFileSync(join(target, 'x'), 'utf8')).toBe('second');
    expect(readFileSync(join(target, 'd/inner'), 'utf8')).toBe('in');
    expect(lstatSync(join(target, 's')).isFile()).toBe(true);
    expect(readFileSync(join(target, 's'), 'utf8')).toBe('not written through the symlink');
  });

  it('streams a file bigger than any chunk and keeps a layer whose root entry sets the target mode', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const tar = makeTar([
      { name: './', type: 'dir', mode: 0o711 },
      { name: 'big', data: big },
    ]);
    await applyLayer(target, chunks(tar, 65_536));
    expect(readFileSync(join(target, 'big')).equals(big)).toBe(true);
    expect(lstatSync(target).mode & 0o777).toBe(0o711);
  });

  it('applies nothing when the DiffID is not the expected one', async () => {
    const tar = makeTar([{ name: 'f', data: 'x' }]);
    const right = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
    await expect(
      applyLayer(target, chunks(tar), { expectedDiffId: `sha256:${'0'.repeat(64)}` }),
    ).rejects.toMatchObject({ code: 'EDIGESTMISMATCH' });
    expect(listTree(target)).toEqual([]);
    expect(readdirSync(tmp.dir)).toEqual(['target']);
    expect((await applyLayer(target, chunks(tar), { expectedDiffId: right })).diffId).toBe(right);
    expect(listTree(target)).toEqual(['f']);
  });

  describe('hostile tars are refused and leave the target unmodified', () => {
    const cases: [string, Parameters<typeof makeTar>[0]][] = [
      [
        'a ../ path',
        [
          { name: 'ok', data: 'fine' },
          { name: '../escape', data: 'x' },
        ],
      ],
      [
        'an absolute path',
        [
          { name: 'ok', data: 'fine' },
          { name: '/etc/escape', data: 'x' },
        ],
      ],
      ['a nested ../ path', [{ name: 'a/../../escape', data: 'x' }]],
      [
        'a write through a symlink that leaves the root',
        [
          { name: 'ok', data: 'fine' },
          { name: 'evil', type: 'symlink', linkname: '../../../../../..' },
          { name: 'evil/escape', data: 'x' },
        ],
      ],
      [
        'a hard link to a path outside',
        [
          { name: 'ok', data: 'fine' },
          { name: 'h', type: 'link', linkname: '../../etc/passwd' },
        ],
      ],
    ];
    for (const [what, entries] of cases) {
      it(`refuses ${what}`, async () => {
        writeFileSync(join(target, 'existing'), 'before');
        await expect(applyLayer(target, chunks(makeTar(entries)))).rejects.toMatchObject({
          code: 'EBREAKOUT',
        });
        expect(listTree(target)).toEqual(['existing']);
        expect(readdirSync(tmp.dir).sort()).toEqual(['target']);
        expect(readdirSync(join(tmp.dir, '..')).filter((n) => n === 'escape')).toEqual([]);
      });
    }

    it('refuses a write through a symlink of a lower layer that leaves the root', async () => {
      const lower = join(tmp.dir, 'lower');
      mkdirSync(lower);
      symlinkSync('../../..', join(lower, 'up'));
      await expect(
        applyLayer(target, chunks(makeTar([{ name: 'up/escape', data: 'x' }])), { lowers: [lower] }),
      ).rejects.toMatchObject({ code: 'EBREAKOUT' });
      expect(listTree(target)).toEqual([]);
    });

    it('refuses a symlink loop in a parent path with EBADLAYER', async () => {
      const tar = makeTar([
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'b', type: 'symlink', linkname: 'a' },
        { name: 'a/x', data: 'x' },
      ]);
      await expect(applyLayer(target, chunks(tar))).rejects.toMatchObject({ code: 'EBADLAYER' });
      expect(listTree(target)).toEqual([]);
    });

    it('ignores trusted.overlay.* xattrs a layer carries (only whiteouts make those)', async () => {
      const tar = makeTar([
        { name: 'd/', type: 'dir', xattrs: new Map([['trusted.overlay.redirect', Buffer.from('/etc')]]) },
      ]);
      await applyLayer(target, chunks(tar));
      expect(lgetxattr(join(target, 'd'), 'trusted.overlay.redirect')).toBeNull();
    });

    it('refuses a truncated tar with EBADLAYER', async () => {
      const tar = makeTar([{ name: 'big', data: 'x'.repeat(4000) }]);
      await expect(applyLayer(target, chunks(tar.subarray(0, 2000)))).rejects.toMatchObject({
        code: 'EBADLAYER',
      });
      expect(listTree(target)).toEqual([]);
    });
  });
});
