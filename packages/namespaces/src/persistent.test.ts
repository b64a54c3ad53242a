import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnContainer } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPersistentNamespace,
  idMappingHook,
  isPersistentNamespace,
  namespacePlan,
  readNamespace,
  readNamespaces,
  removePersistentNamespace,
  withNamespace,
} from './index.js';

let dir: string;
const pinned: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-ns-'));
});
afterEach(() => {
  for (const p of pinned.splice(0)) removePersistentNamespace(p);
  const left = readFileSync('/proc/self/mountinfo', 'utf8').includes(dir);
  rmSync(dir, { recursive: true, force: true });
  expect(left).toBe(false); // no nsfs bind mount left behind
});

describe('persistent namespaces', () => {
  it('pins a new network namespace that a child joins by path and sees only lo', async () => {
    const path = join(dir, 'netns', 'berth-net');
    pinned.push(path);
    await createPersistentNamespace('network', path);
    expect(isPersistentNamespace(path)).toBe(true);

    const outPath = join(dir, 'out');
    const out = openSync(outPath, 'w');
    try {
      const ns = namespacePlan({ linux: { namespaces: [{ type: 'network', path }] } });
      const p = await spawnContainer({
        ...ns,
        args: [
          '/bin/busybox',
          'sh',
          '-c',
          'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; readlink /proc/self/ns/net',
        ],
        stdio: [-1, out, out],
      });
      expect((await p.wait()).exitCode).toBe(0);
    } finally {
      closeSync(out);
    }
    const [ifaces, link] = readFileSync(outPath, 'utf8').trim().split('\n');
    expect(ifaces).toBe('lo');
    expect(link).not.toBe(`net:[${readNamespace('self', 'network')!.inode}]`);

    removePersistentNamespace(path);
    expect(isPersistentNamespace(path)).toBe(false);
  });

  it('setns into a pinned uts namespace changes the hostname the thread sees, and back', async () => {
    const path = join(dir, 'berth-uts');
    pinned.push(path);
    await createPersistentNamespace('uts', path, { hostname: 'berth-pinned' });
    const own = hostname();
    const inside = withNamespace(path, 'uts', () => hostname());
    expect(inside).toBe('berth-pinned');
    expect(hostname()).toBe(own);
  });

  it.each(['ipc', 'mount', 'cgroup', 'time', 'user'] as const)(
    'pins a new %s namespace, distinct from this process one',
    async (kind) => {
      const path = join(dir, `berth-${kind}`);
      pinned.push(path);
      const m = [{ containerID: 0, hostID: 500000, size: 1000 }];
      await createPersistentNamespace(kind, path, kind === 'user' ? { uidMappings: m, gidMappings: m } : {});
      expect(isPersistentNamespace(path)).toBe(true);
      const pinnedInode = statSync(path).ino;
      expect(pinnedInode).not.toBe(readNamespace('self', kind)!.inode);
    },
  );

  it('refuses a pid namespace', async () => {
    await expect(createPersistentNamespace('pid', join(dir, 'pid'))).rejects.toThrow(/cannot outlive/);
  });
});

describe('id mapping hook', () => {
  it('writes a new user namespace maps between clone and the plan (the rootless path)', async () => {
    const outPath = join(dir, 'out');
    const out = openSync(outPath, 'w');
    try {
      const m = [{ containerID: 0, hostID: 400000, size: 65536 }];
      const p = await spawnContainer(
        {
          cloneFlags: namespacePlan({
            linux: { namespaces: [{ type: 'user' }], uidMappings: m, gidMappings: m },
          }).cloneFlags,
          args: ['/bin/busybox', 'cat', '/proc/self/uid_map'],
          stdio: [-1, out, out],
        },
        { afterClone: idMappingHook({ uidMappings: m, gidMappings: m, denySetgroups: true }) },
      );
      expect((await p.wait()).exitCode).toBe(0);
    } finally {
      closeSync(out);
    }
    expect(readFileSync(outPath, 'utf8')).toMatch(/^\s+0\s+400000\s+65536\n$/);
  });
});

describe('reading namespaces from /proc', () => {
  it('lists the namespaces of this process', () => {
    const ns = readNamespaces('self');
    expect(ns.network?.path).toBe('/proc/self/ns/net');
    expect(ns.mount?.inode).toBeGreaterThan(0);
  });
});
