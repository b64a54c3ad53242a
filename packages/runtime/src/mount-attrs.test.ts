// Idmapped mounts (idmap/ridmap, mount uidMappings/gidMappings) and recursive mount attributes
// (rro and friends) with real containers: what the container sees through them.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as C, mount, umount2 } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuntimeError } from './errors.js';
import { Runtime } from './runtime.js';
import type { RuntimeSpec } from './spec.js';
import { makeBundle, runToCompletion, type TestBundle, uniqueId } from './test-support.js';

let bundle: TestBundle;
let rt: Runtime;
let ids: string[];
const hostMounts: string[] = [];

beforeEach(() => {
  bundle = makeBundle();
  rt = new Runtime({ root: bundle.root });
  ids = [];
});

afterEach(async () => {
  for (const id of ids) {
    try {
      await rt.delete(id, { force: true });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOTFOUND') throw e;
    }
  }
  for (const m of hostMounts.splice(0).reverse()) umount2(m, C.MNT_DETACH);
  bundle.remove();
});

/** Runs the spec to completion and returns what the container wrote to stdout. */
const runCapture = (spec: RuntimeSpec) => runToCompletion(rt, bundle, spec, ids);

/** A host directory with one file owned by `uid`. */
function hostData(uid: number): string {
  const dir = join(bundle.dir, `data-${uid}`);
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'file'), 'x');
  chownSync(join(dir, 'file'), uid, uid);
  return dir;
}

function withUserNamespace(spec: RuntimeSpec): RuntimeSpec {
  spec.linux!.namespaces!.push({ type: 'user' });
  spec.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  spec.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  return spec;
}

describe('idmapped mounts and recursive mount attributes', () => {
  it("idmap with the container's user namespace: host root's files are the container root's", async () => {
    const data = hostData(0);
    const spec = withUserNamespace(bundle.spec(['sh', '-c', 'stat -c %u /tmp/mapped/file /tmp/plain/file']));
    spec.mounts!.push(
      { destination: '/tmp/mapped', type: 'bind', source: data, options: ['bind', 'idmap'] },
      { destination: '/tmp/plain', type: 'bind', source: data, options: ['bind'] },
    );
    const { out, exitCode } = await runCapture(spec);
    expect(exitCode).toBe(0);
    expect(out).toBe('0\n65534\n'); // unmapped without the idmap: the overflow uid
  });

  it("a mount's own uidMappings/gidMappings are used, without a user namespace in the container", async () => {
    const data = hostData(1000);
    const spec = bundle.spec(['sh', '-c', 'stat -c "%u %g" /data/file']);
    spec.mounts!.push({
      destination: '/data',
      type: 'bind',
      source: data,
      options: ['rbind', 'ridmap'],
      uidMappings: [{ containerID: 1000, hostID: 4242, size: 1 }],
      gidMappings: [{ containerID: 1000, hostID: 4343, size: 1 }],
    });
    const { out, exitCode } = await runCapture(spec);
    expect(exitCode).toBe(0);
    expect(out).toBe('4242 4343\n');
  });

  it('rro makes a bind mount read-only together with the mounts under it; ro alone does not', async () => {
    const tree = join(bundle.dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    mount('tmpfs', join(tree, 'sub'), 'tmpfs', 0, 'size=64k');
    hostMounts.push(join(tree, 'sub'));
    const probe = (dir: string) => `touch ${dir}/sub/x 2>/dev/null && echo rw || echo ro`;
    const spec = bundle.spec(['sh', '-c', `${probe('/r')}; ${probe('/p')}`]);
    spec.mounts!.push(
      { destination: '/r', type: 'bind', source: tree, options: ['rbind', 'rro'] },
      { destination: '/p', type: 'bind', source: tree, options: ['rbind', 'ro'] },
    );
    const { out, exitCode } = await runCapture(spec);
    expect(exitCode).toBe(0);
    expect(out).toBe('ro\nrw\n');
  });

  it('refuses idmap without mappings or a user namespace, and mappings without idmap, naming the mount', async () => {
    const data = hostData(0);
    const noUserns = bundle.spec(['true']);
    noUserns.mounts!.push({ destination: '/d', type: 'bind', source: data, options: ['bind', 'idmap'] });
    bundle.write(noUserns);
    const id = uniqueId();
    const err = await rt.create(id, { bundle: bundle.dir }).catch((e: unknown) => e);
    expect(isRuntimeError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/mounts\[\d+\]\.options.*user namespace/);

    const noOption = bundle.spec(['true']);
    noOption.mounts!.push({
      destination: '/d',
      type: 'bind',
      source: data,
      options: ['bind'],
      uidMappings: [{ containerID: 0, hostID: 1, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: 1, size: 1 }],
    });
    bundle.write(noOption);
    const err2 = await rt.create(uniqueId(), { bundle: bundle.dir }).catch((e: unknown) => e);
    expect(String((err2 as Error).message)).toMatch(/mounts\[\d+\]\.uidMappings.*idmap/);
  });
});
