// prepare/adopt/execPlan: the runtime's half of a container whose init a shim makes. Here the
// engine in this process plays the shim (createContainer from the encoded bytes), so the test needs
// no shim binary; @berth/shim's tests run the real one.
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ContainerProcess, createContainer } from '@berth/native';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Runtime } from './runtime.js';
import { makeBundle, type TestBundle, uniqueId } from './test-support.js';

let bundle: TestBundle;
let rt: Runtime;
let ids: string[];
let procs: ContainerProcess[];

beforeEach(() => {
  bundle = makeBundle();
  rt = new Runtime({ root: bundle.root });
  ids = [];
  procs = [];
});

afterEach(async () => {
  for (const p of procs) {
    if (p.state !== 'stopped') {
      try {
        p.kill();
      } catch {}
      await p.wait();
    }
  }
  for (const id of ids) await rt.delete(id, { force: true }).catch(() => {});
  bundle.remove();
});

const cgroupDir = (id: string) => `/sys/fs/cgroup/memory/berth-runtime/${id}`;

it('prepare records "creating" and makes the cgroup; adopt makes state/ps/kill/delete work', async () => {
  const id = uniqueId();
  ids.push(id);
  bundle.write(bundle.spec(['sleep', '100']));
  const { plan } = await rt.prepare(id, { bundle: bundle.dir });
  expect(plan.readUInt32LE(0)).toBe(0x50485442); // "BTHP"
  expect(rt.state(id)).toMatchObject({ status: 'creating', pid: 0 });
  expect(existsSync(cgroupDir(id))).toBe(true);
  const proc = await createContainer(plan);
  procs.push(proc);
  await rt.adopt(id, { pid: proc.pid });
  expect(rt.state(id)).toMatchObject({ status: 'created', pid: proc.pid });
  await proc.start();
  await rt.adopt(id, { pid: proc.pid, status: 'running' });
  expect(rt.state(id).status).toBe('running');
  expect(rt.ps(id)).toEqual([proc.pid]);
  await expect(rt.adopt(id, { pid: proc.pid + 100000 })).rejects.toMatchObject({ code: 'EBADSTATE' });
  await rt.kill(id, 'KILL');
  await proc.wait();
  expect(rt.state(id).status).toBe('stopped');
  await rt.delete(id);
  expect(existsSync(join(bundle.root, id))).toBe(false);
  expect(existsSync(cgroupDir(id))).toBe(false);
});

it('the plan leaves stdio to its user; execPlan runs a process in the container', async () => {
  const id = uniqueId();
  ids.push(id);
  const spec = bundle.spec(['sleep', '100']);
  spec.process!.terminal = true; // the shim supplies the console: prepare must not ask for a socket
  bundle.write(spec);
  const { plan } = await rt.prepare(id, { bundle: bundle.dir });
  // this test runs the init without a pty: the plan carries no console socket or stdio of its own
  const proc = await createContainer(plan);
  procs.push(proc);
  await proc.start();
  await rt.adopt(id, { pid: proc.pid, status: 'running' });
  const out = join(bundle.dir, 'exec.out');
  const fd = openSync(out, 'w');
  const execBytes = rt.execPlan(id, { process: { args: ['sh', '-c', 'echo "in $(hostname)" >&2'] } });
  // stdio are the caller's to fill: here by running the bytes with this process's fds redirected
  const ex = await createContainer(withStderr(execBytes, fd));
  closeSync(fd);
  await ex.start();
  expect((await ex.wait()).exitCode).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe(`in ${spec.hostname}\n`);
});

it('a failed prepare leaves nothing behind', async () => {
  const id = uniqueId();
  ids.push(id);
  const spec = bundle.spec(['true']);
  spec.process!.rlimits = [{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }];
  bundle.write(spec);
  await expect(rt.prepare(id, { bundle: bundle.dir })).rejects.toMatchObject({ code: 'EINVALIDSPEC' });
  expect(existsSync(join(bundle.root, id))).toBe(false);
  expect(existsSync(cgroupDir(id))).toBe(false);
});

it('prestart/createRuntime hooks travel in the plan and run at clone with the init pid; startContainer in beforeStart; poststart at adopt', async () => {
  const id = uniqueId();
  ids.push(id);
  const log = join(bundle.dir, 'hooks.log');
  const hook = (name: string) => ({
    path: '/bin/sh',
    args: ['sh', '-c', `echo "${name} $(cat)" >> ${log}`],
  });
  const spec = bundle.spec(['sleep', '100']);
  spec.hooks = {
    prestart: [hook('prestart0'), hook('prestart1')],
    createRuntime: [hook('createRuntime0')],
    // in the container's namespaces: / is the rootfs
    startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo "startContainer $(cat)" > /start-hook'] }],
    poststart: [hook('poststart0')],
  };
  bundle.write(spec);
  const { plan } = await rt.prepare(id, { bundle: bundle.dir });
  expect(existsSync(log)).toBe(false); // nothing runs before the engine clones
  const proc = await createContainer(plan);
  procs.push(proc);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  expect(lines.map((l) => l.split(' ')[0])).toEqual(['prestart0', 'prestart1', 'createRuntime0']);
  for (const l of lines)
    expect(JSON.parse(l.slice(l.indexOf(' ') + 1))).toMatchObject({ id, status: 'creating', pid: proc.pid });
  await rt.adopt(id, { pid: proc.pid });
  await rt.beforeStart(id);
  expect(readFileSync(join(bundle.dir, 'rootfs', 'start-hook'), 'utf8')).toMatch(
    /^startContainer \{.*"status":"created"/,
  );
  await proc.start();
  await rt.adopt(id, { pid: proc.pid, status: 'running' });
  await expect(rt.beforeStart(id)).rejects.toMatchObject({ code: 'EBADSTATE' });
  await rt.adopt(id, { pid: proc.pid, status: 'running' }); // once: only the start runs poststart
  const after = readFileSync(log, 'utf8').trim().split('\n').slice(3);
  expect(after).toHaveLength(1);
  expect(JSON.parse(after[0]!.slice('poststart0 '.length))).toMatchObject({
    status: 'running',
    pid: proc.pid,
  });
});

it('a failing prestart hook ends the clone: no process is left', async () => {
  const id = uniqueId();
  ids.push(id);
  const spec = bundle.spec(['sleep', '100']);
  spec.hooks = { prestart: [{ path: '/bin/sh', args: ['sh', '-c', 'echo nope >&2; exit 3'] }] };
  bundle.write(spec);
  const { plan } = await rt.prepare(id, { bundle: bundle.dir });
  const before = new Set(readdirSync('/proc'));
  await expect(createContainer(plan)).rejects.toThrow(
    /prestart hook 0 \(\/bin\/sh\) failed \(exit 3\): nope/,
  );
  // no child of this process is left from it (the engine killed and reaped the init)
  const leftover = readdirSync('/proc').filter(
    (p) => /^\d+$/.test(p) && !before.has(p) && ppidOf(p) === process.pid,
  );
  expect(leftover).toEqual([]);
});

function ppidOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Appends a STDIO record (op 28: stdin/stdout inherited, stderr = fd) to an encoded plan. */
function withStderr(plan: Buffer, fd: number): Buffer {
  const rec = Buffer.alloc(8 + 24);
  rec.writeUInt32LE(28, 0);
  rec.writeUInt32LE(24, 4);
  rec.writeBigInt64LE(-1n, 8);
  rec.writeBigInt64LE(-1n, 16);
  rec.writeBigInt64LE(BigInt(fd), 24);
  const out = Buffer.concat([plan, rec]);
  out.writeUInt32LE(out.length, 8);
  return out;
}
