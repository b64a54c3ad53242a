import {
  chmodSync,
  chownSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_NS, basicPlan, makeRootfs, mountsUnder } from '../test/helpers.js';
import { constants as C, type ContainerProcess, mount, spawnContainer, umount2 } from './index.js';

// Idmapped mounts (made by the parent with open_tree + mount_setattr, attached by the child with
// move_mount) and recursive mount attributes (mount_setattr AT_RECURSIVE in the child).
let dir: string;
let rootfs: string;
let outPath: string;
let out: number;
const procs: ContainerProcess[] = [];
const hostMounts: string[] = [];

beforeEach(() => {
  ({ dir, rootfs } = makeRootfs());
  chmodSync(dir, 0o755); // mapped root (host uid 100000) must reach the rootfs
  outPath = join(dir, 'out');
  out = openSync(outPath, 'w+');
});
afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.state !== 'stopped') {
      p.kill();
      await p.wait();
    }
  }
  for (const m of hostMounts.splice(0).reverse()) umount2(m, C.MNT_DETACH);
  closeSync(out);
  expect(mountsUnder(join(dir, 'rootfs'))).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], extra: object) {
  const p = await spawnContainer({ ...basicPlan(rootfs, args, out), ...extra });
  procs.push(p);
  const st = await p.wait();
  return { code: st.exitCode, text: readFileSync(outPath, 'utf8') };
}

function hostDirWithFile(name: string, uid: number): string {
  const src = join(dir, name);
  mkdirSync(src);
  writeFileSync(join(src, 'file'), 'x');
  chownSync(join(src, 'file'), uid, uid);
  return src;
}

const userns = {
  cloneFlags: ALL_NS | C.CLONE_NEWUSER,
  uidMap: '0 100000 65536\n',
  gidMap: '0 100000 65536\n',
  devices: [] as object[],
};

describe('engine: idmapped and recursive-attribute mounts', () => {
  it("an idmapped bind mount shows host uid 0's file as the container's root (the container's maps)", async () => {
    const src = hostDirWithFile('data', 0);
    // the container's root (host uid 100000) cannot create targets in a rootfs owned by host root
    mkdirSync(join(rootfs, 'data'));
    mkdirSync(join(rootfs, 'plain'));
    const r = await run(['/bin/sh', '-c', 'stat -c %u /data/file; stat -c %u /plain/file'], {
      ...userns,
      devices: [],
      symlinks: [],
      mounts: [
        { source: src, target: join(rootfs, 'data'), flags: C.MS_BIND, idmap: {} },
        { source: src, target: join(rootfs, 'plain'), flags: C.MS_BIND },
      ],
    });
    expect(r.code).toBe(0);
    // through the idmapped mount host uid 0 is the container's 0; without it, unmapped (65534)
    expect(r.text).toBe('0\n65534\n');
  });

  it("an idmapped mount with its own maps uses them, not the container's", async () => {
    const src = hostDirWithFile('own', 1000);
    const r = await run(['/bin/sh', '-c', 'stat -c %u /own/file'], {
      cloneFlags: ALL_NS,
      mounts: [
        {
          source: src,
          target: join(rootfs, 'own'),
          flags: C.MS_BIND,
          idmap: { uidMap: '1000 5000 1\n', gidMap: '1000 5000 1\n' },
        },
      ],
    });
    expect(r.code).toBe(0);
    expect(r.text).toBe('5000\n');
  });

  it('rro makes a bind mount and the mounts below it read-only', async () => {
    const src = join(dir, 'tree');
    mkdirSync(join(src, 'sub'), { recursive: true });
    mount('tmpfs', join(src, 'sub'), 'tmpfs', 0, 'size=64k');
    hostMounts.push(join(src, 'sub'));
    const r = await run(
      ['/bin/sh', '-c', 'touch /tree/sub/x 2>/dev/null && echo writable || echo read-only'],
      {
        cloneFlags: ALL_NS,
        mounts: [
          {
            source: src,
            target: join(rootfs, 'tree'),
            flags: C.MS_BIND | C.MS_REC,
            attrSet: C.MOUNT_ATTR_RDONLY,
          },
        ],
      },
    );
    expect(r.code).toBe(0);
    expect(r.text).toBe('read-only\n');
  });

  it('refuses an idmapped mount that is not a bind mount', async () => {
    await expect(
      spawnContainer({
        ...basicPlan(rootfs, ['/bin/true'], out),
        mounts: [{ source: 'tmpfs', target: join(rootfs, 'x'), fstype: 'tmpfs', idmap: {} }],
      }),
    ).rejects.toThrow(/must be a bind mount/);
  });
});
