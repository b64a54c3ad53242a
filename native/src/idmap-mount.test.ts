import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  constants as C,
  createContainer,
  mount,
  mountSetattr,
  moveMount,
  openTree,
  umount2,
} from './index.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('new mount API', () => {
  it('open_tree + mount_setattr(MOUNT_ATTR_IDMAP) + move_mount make an idmapped mount', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-test-idmap-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const src = join(dir, 'src');
    const dst = join(dir, 'dst');
    mkdirSync(src);
    mkdirSync(dst);
    mount('tmpfs', src, 'tmpfs', 0, 'size=64k');
    cleanups.push(() => umount2(src, C.MNT_DETACH));
    writeFileSync(join(src, 'file'), 'x');

    // a user namespace to take the mapping from: a created (never started) engine child
    const holder = await createContainer({
      cloneFlags: C.CLONE_NEWUSER,
      uidMap: '0 100000 65536\n',
      gidMap: '0 100000 65536\n',
      args: ['/bin/true'],
    });
    cleanups.push(async () => {
      holder.kill();
      await holder.wait();
    });
    const userns = openSync(`/proc/${holder.pid}/ns/user`, 'r');
    cleanups.push(() => closeSync(userns));

    const tree = openTree(C.AT_FDCWD, src, C.OPEN_TREE_CLONE | C.OPEN_TREE_CLOEXEC);
    cleanups.push(() => closeSync(tree));
    mountSetattr(tree, '', C.AT_EMPTY_PATH, C.MOUNT_ATTR_IDMAP, 0, 0, userns);
    moveMount(tree, '', C.AT_FDCWD, dst, C.MOVE_MOUNT_F_EMPTY_PATH);
    cleanups.push(() => umount2(dst, C.MNT_DETACH));

    expect(statSync(join(src, 'file')).uid).toBe(0);
    expect(statSync(join(dst, 'file')).uid).toBe(100000);
  });
});
