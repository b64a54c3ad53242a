// The lifecycle on the real kernel with a busybox bundle: what the container sees from inside,
// limits, capabilities, seccomp, hooks, and that delete and a failed create leave nothing behind.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Runtime } from './runtime.js';
import type { RuntimeSpec } from './spec.js';
import { StateStore } from './store.js';
import { makeBundle, runToCompletion, type TestBundle, uniqueId } from './test-support.js';

let bundle: TestBundle;
let rt: Runtime;
let ids: string[];

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
  bundle.remove();
});

const cgroupDir = (id: string, ctrl: string) => `/sys/fs/cgroup/${ctrl}/berth-runtime/${id}`;

/** Runs the spec to completion and returns what the container wrote to stdout. */
const runCapture = (spec: RuntimeSpec) => runToCompletion(rt, bundle, spec, ids);

describe('Runtime lifecycle (busybox bundle, real kernel)', () => {
  it('create -> created, start -> running, kill -> stopped, delete removes state dir and cgroup', async () => {
    const id = uniqueId();
    ids.push(id);
    bundle.write(bundle.spec(['sleep', '100']));
    const { state } = await rt.create(id, { bundle: bundle.dir });
    expect(state).toMatchObject({
      id,
      status: 'created',
      bundle: bundle.dir,
      rootfs: join(bundle.dir, 'rootfs'),
    });
    expect(state.pid).toBeGreaterThan(0);
    expect(existsSync(cgroupDir(id, 'memory'))).toBe(true);
    await rt.start(id);
    expect(rt.state(id).status).toBe('running');
    expect(rt.ps(id)).toEqual([state.pid]);
    expect(rt.list().map((s) => s.id)).toEqual([id]);
    await rt.kill(id, 'KILL');
    await rt.wait(id);
    expect(rt.state(id)).toMatchObject({ status: 'stopped', pid: 0 });
    await rt.delete(id);
    expect(existsSync(join(bundle.root, id))).toBe(false);
    expect(existsSync(cgroupDir(id, 'memory'))).toBe(false);
    expect(() => rt.state(id)).toThrow(expect.objectContaining({ code: 'ENOTFOUND' }));
  });

  it('refuses to start twice, to delete a running container without force, and a taken id', async () => {
    const id = uniqueId();
    ids.push(id);
    bundle.write(bundle.spec(['sleep', '100']));
    await rt.create(id, { bundle: bundle.dir });
    await expect(rt.create(id, { bundle: bundle.dir })).rejects.toMatchObject({ code: 'EEXISTS' });
    await rt.start(id);
    await expect(rt.start(id)).rejects.toMatchObject({ code: 'EBADSTATE', status: 'running' });
    await expect(rt.delete(id)).rejects.toMatchObject({ code: 'EBADSTATE' });
    await rt.delete(id, { force: true });
    expect(existsSync(join(bundle.root, id))).toBe(false);
  });

  it('isolation seen from inside: pid 1, own hostname, only lo (up), the rootfs, env and cwd', async () => {
    const spec = bundle.spec([
      'sh',
      '-c',
      'echo pid=$$ host=$(hostname) cwd=$(pwd) foo=$FOO; echo lo-flags=$(cat /sys/class/net/lo/flags); ls /sys/class/net; ls /',
    ]);
    spec.hostname = 'berth-box';
    spec.process!.env = ['PATH=/bin:/usr/bin', 'FOO=bar'];
    spec.process!.cwd = '/tmp';
    const { out, exitCode } = await runCapture(spec);
    expect(exitCode).toBe(0);
    expect(out).toContain('pid=1 host=berth-box cwd=/tmp foo=bar');
    expect(out).toContain('lo-flags=0x9\n'); // IFF_LOOPBACK | IFF_UP: a new netns gets lo up, as runc does
    expect(out.split('\n')).toContain('lo');
    expect(out).not.toContain('eth0');
    expect(out.split('\n')).toContain('bin');
  });

  it('capabilities: the five sets land in /proc/self/status; no_new_privs is set', async () => {
    const spec = bundle.spec(['cat', '/proc/self/status']);
    spec.process!.capabilities = {
      bounding: ['CAP_KILL', 'CAP_CHOWN'],
      effective: ['CAP_KILL'],
      permitted: ['CAP_KILL', 'CAP_CHOWN'],
      inheritable: [],
      ambient: [],
    };
    const { out } = await runCapture(spec);
    // CAP_CHOWN = 0, CAP_KILL = 5
    expect(out).toMatch(/CapBnd:\s+0000000000000021/);
    expect(out).toMatch(/CapPrm:\s+0000000000000021/);
    // uid 0: execve makes effective = permitted (the kernel's rule for root, as with runc)
    expect(out).toMatch(/CapEff:\s+0000000000000021/);
    expect(out).toMatch(/CapInh:\s+0000000000000000/);
    expect(out).toMatch(/NoNewPrivs:\s+1/);
  });

  it('user, additional groups, rlimits and oom_score_adj', async () => {
    const spec = bundle.spec(['sh', '-c', 'id -u; id -g; id -G; ulimit -n; cat /proc/self/oom_score_adj']);
    spec.process!.user = { uid: 1000, gid: 1000, additionalGids: [1001] };
    spec.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 321, hard: 321 }];
    spec.process!.oomScoreAdj = 123;
    const { out } = await runCapture(spec);
    expect(out.trim().split('\n')).toEqual(['1000', '1000', '1000 1001', '321', '123']);
  });

  it('umask: process.user.umask is applied, and 0022 when the spec gives none (as runc)', async () => {
    const spec = bundle.spec(['sh', '-c', 'umask']);
    spec.process!.user = { uid: 0, gid: 0, umask: 0o077 };
    expect((await runCapture(spec)).out.trim()).toBe('0077');
    const plain = bundle.spec(['sh', '-c', 'umask']);
    plain.process!.user = { uid: 0, gid: 0 };
    expect((await runCapture(plain)).out.trim()).toBe('0022');
  });

  it('read-only root, masked and read-only paths, sysctl', async () => {
    const spec = bundle.spec([
      'sh',
      '-c',
      'touch /x 2>/dev/null && echo root-rw || echo root-ro; wc -c < /proc/timer_list 2>/dev/null; (echo 1 > /proc/sys/kernel/ns_last_pid) 2>/dev/null && echo sys-rw || echo sys-ro; cat /proc/sys/net/ipv4/ip_forward',
    ]);
    spec.root = { path: 'rootfs', readonly: true };
    spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    const { out } = await runCapture(spec);
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['root-ro', '0', 'sys-ro', '1']);
  });

  it('seccomp denies a syscall with the errno asked for', async () => {
    const spec = bundle.spec([
      'sh',
      '-c',
      'mkdir /tmp/d 2>/dev/null && echo made || echo denied; mkdir 2>&1',
    ]);
    spec.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    };
    const { out } = await runCapture(spec);
    expect(out.split('\n')[0]).toBe('denied');
  });

  it('seccomp listenerPath: the notify listener fd reaches the agent with the container state', async () => {
    // the agent: a unix socket server (python3: Node's net cannot receive fds) that records what it
    // got and closes the fd, so notified syscalls then fail with ENOSYS
    const sock = join(bundle.dir, 'agent.sock');
    const got = join(bundle.dir, 'agent.json');
    const agent = spawn('python3', [
      '-c',
      `import socket,sys,os,json
s=socket.socket(socket.AF_UNIX);s.bind(sys.argv[1]);s.listen(1);open(sys.argv[1]+'.ready','w').close()
c,_=s.accept();msg,fds,_,_=socket.recv_fds(c,65536,4)
st=os.fstat(fds[0]);json.dump({'msg':json.loads(msg),'nfds':len(fds)},open(sys.argv[2],'w'))
[os.close(f) for f in fds]`,
      sock,
      got,
    ]);
    try {
      while (!existsSync(`${sock}.ready`)) await new Promise((r) => setTimeout(r, 20));
      const spec = bundle.spec(['sh', '-c', 'sleep 0.3; mkdir /tmp/x 2>/dev/null; echo rc=$?']);
      spec.linux!.seccomp = {
        defaultAction: 'SCMP_ACT_ALLOW',
        listenerPath: sock,
        listenerMetadata: 'berth-test',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_NOTIFY' }],
      };
      const { out, exitCode } = await runCapture(spec);
      expect(exitCode).toBe(0);
      expect(out).toBe('rc=1\n');
      const seen = JSON.parse(readFileSync(got, 'utf8'));
      expect(seen.nfds).toBe(1);
      expect(seen.msg).toMatchObject({ fds: ['seccompFd'], metadata: 'berth-test' });
      expect(seen.msg.state.id).toBe(ids.at(-1));
      expect(seen.msg.pid).toBeGreaterThan(0);
    } finally {
      agent.kill();
    }
  });

  it('limits are enforced: pids.max stops forks, memory limit is visible in the cgroup', async () => {
    const spec = bundle.spec([
      'sh',
      '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes; i=0; while [ $i -lt 8 ]; do sleep 5 & i=$((i+1)); done; echo done',
    ]);
    spec.linux!.resources = { memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 4 } };
    const { out } = await runCapture(spec);
    expect(out).toContain(String(64 * 1024 * 1024));
    expect(out).toMatch(/can't fork/);
  });

  it('hooks of every kind run in order with the state on stdin', async () => {
    const log = join(bundle.dir, 'hooks.log');
    const hook = (name: string) => ({
      path: '/bin/busybox',
      args: ['sh', '-c', `read s; echo "${name} $(echo "$s" | grep -o '"status":"[a-z]*"')" >> ${log}`],
    });
    const spec = bundle.spec(['sleep', '100']);
    spec.hooks = {
      prestart: [hook('prestart')],
      createRuntime: [hook('createRuntime')],
      createContainer: [hook('createContainer')],
      startContainer: [
        { path: '/bin/sh', args: ['sh', '-c', 'read s; echo "startContainer $s" > /start-hook'] },
      ],
      poststart: [hook('poststart')],
      poststop: [hook('poststop')],
    };
    const id = uniqueId();
    ids.push(id);
    bundle.write(spec);
    await rt.create(id, { bundle: bundle.dir });
    await rt.start(id);
    await rt.kill(id, 'KILL');
    await rt.wait(id);
    await rt.delete(id);
    // startContainer ran inside the container (its / is the rootfs), with the state on stdin
    expect(readFileSync(join(bundle.dir, 'rootfs', 'start-hook'), 'utf8')).toMatch(
      /^startContainer .*"status":"created"/,
    );
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'prestart "status":"creating"',
      'createRuntime "status":"creating"',
      'createContainer "status":"creating"',
      'poststart "status":"running"',
      'poststop "status":"stopped"',
    ]);
  });

  it('createContainer hooks run in the container namespaces before pivot_root, with the pid on stdin', async () => {
    const out = join(bundle.dir, 'cc-hook.out');
    const spec = bundle.spec(['sleep', '100']);
    spec.hooks = {
      createContainer: [
        {
          path: '/bin/busybox',
          args: ['sh', '-c', `read s; readlink /proc/self/ns/mnt > ${out}; echo "$s" >> ${out}`],
        },
      ],
    };
    const id = uniqueId();
    ids.push(id);
    bundle.write(spec);
    const { state } = await rt.create(id, { bundle: bundle.dir });
    const [mntns, json] = readFileSync(out, 'utf8').trim().split('\n');
    expect(mntns).toBe(readlinkSync(`/proc/${state.pid}/ns/mnt`));
    expect(mntns).not.toBe(readlinkSync('/proc/self/ns/mnt'));
    expect(JSON.parse(json!)).toMatchObject({ id, status: 'creating', pid: 1, bundle: bundle.dir });
  });

  it('a failing createContainer hook fails create with EHOOK and leaves nothing behind', async () => {
    const spec = bundle.spec(['sleep', '100']);
    spec.hooks = { createContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'exit 3'] }] };
    const id = uniqueId();
    bundle.write(spec);
    await expect(rt.create(id, { bundle: bundle.dir })).rejects.toMatchObject({
      code: 'EHOOK',
      message: expect.stringMatching(/createContainer hook \/bin\/sh: exit status 3/),
    });
    expect(existsSync(join(bundle.root, id))).toBe(false);
    expect(existsSync(cgroupDir(id, 'memory'))).toBe(false);
  });

  it('a failing prestart hook fails create and leaves nothing behind', async () => {
    const spec = bundle.spec(['sleep', '100']);
    spec.hooks = { prestart: [{ path: '/bin/false' }] };
    const id = uniqueId();
    bundle.write(spec);
    await expect(rt.create(id, { bundle: bundle.dir })).rejects.toMatchObject({ code: 'EHOOK' });
    expect(existsSync(join(bundle.root, id))).toBe(false);
    expect(existsSync(cgroupDir(id, 'memory'))).toBe(false);
  });

  it('a hook past its timeout is killed and fails the step', async () => {
    const spec = bundle.spec(['true']);
    spec.hooks = { createRuntime: [{ path: '/bin/sleep', args: ['sleep', '30'], timeout: 1 }] };
    const id = uniqueId();
    bundle.write(spec);
    await expect(rt.create(id, { bundle: bundle.dir })).rejects.toThrow(/timed out after 1s/);
    expect(existsSync(join(bundle.root, id))).toBe(false);
  });

  it('a failed create (bad mount) leaves no state dir, cgroup or process', async () => {
    const spec = bundle.spec(['true']);
    spec.mounts!.push({ destination: '/bad', type: 'berthnosuchfs', source: 'x' });
    const id = uniqueId();
    bundle.write(spec);
    await expect(rt.create(id, { bundle: bundle.dir })).rejects.toMatchObject({
      step: 'mount',
      code: 'ENODEV',
    });
    expect(existsSync(join(bundle.root, id))).toBe(false);
    expect(existsSync(cgroupDir(id, 'pids'))).toBe(false);
  });

  it('exec runs a process in the running container namespaces; pause and resume freeze it', async () => {
    const id = uniqueId();
    ids.push(id);
    const spec = bundle.spec(['sleep', '100']);
    spec.hostname = 'berth-exec';
    bundle.write(spec);
    await rt.create(id, { bundle: bundle.dir });
    await rt.start(id);
    const outPath = join(bundle.dir, 'exec.out');
    const fd = openSync(outPath, 'w');
    let code: number | null;
    try {
      const p = await rt.exec(id, {
        process: { args: ['sh', '-c', 'echo $(hostname) $$; ls /proc | grep -c "^[0-9]"'] },
        stdio: [-1, fd, fd],
      });
      code = (await p.wait()).exitCode;
    } finally {
      closeSync(fd);
    }
    expect(code).toBe(0);
    const [first, count] = readFileSync(outPath, 'utf8').trim().split('\n');
    expect(first).toMatch(/^berth-exec \d+$/);
    // the container's pid namespace: sleep, sh, ls, grep
    expect(Number(count)).toBeLessThanOrEqual(4);
    await rt.pause(id);
    expect(rt.state(id).status).toBe('paused');
    expect(readFileSync(join(cgroupDir(id, 'freezer'), 'freezer.state'), 'utf8').trim()).toBe('FROZEN');
    await rt.resume(id);
    expect(rt.state(id).status).toBe('running');
  });

  it('a new user namespace gets the uid/gid mappings; default devices are bind-mounted from the host', async () => {
    const spec = bundle.spec([
      'sh',
      '-c',
      'cat /proc/self/uid_map /proc/self/gid_map; id -u; test -c /dev/null && echo null-ok',
    ]);
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    const { out, exitCode } = await runCapture(spec);
    expect(exitCode).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).join(' '));
    expect(lines).toEqual(['0 100000 65536', '0 200000 65536', '0', 'null-ok']);
  });

  it("joins a namespace by path: a second container shares the first one's network namespace", async () => {
    const first = uniqueId();
    ids.push(first);
    bundle.write(bundle.spec(['sleep', '100']));
    const { state } = await rt.create(first, { bundle: bundle.dir });
    await rt.start(first);
    const netOfFirst = readlinkSync(`/proc/${state.pid}/ns/net`);
    // its sysfs is the joined namespace's (only lo), not the host's (a bind of /sys)
    const spec = bundle.spec(['sh', '-c', 'readlink /proc/self/ns/net; ls /sys/class/net']);
    spec.linux!.namespaces = spec.linux!.namespaces!.map((n) =>
      n.type === 'network' ? { type: 'network', path: `/proc/${state.pid}/ns/net` } : n,
    );
    const { out } = await runCapture(spec);
    expect(out.trim().split('\n')).toEqual([netOfFirst, 'lo']);
  });

  it('update changes resources of a running container; stats reads them back', async () => {
    const id = uniqueId();
    ids.push(id);
    bundle.write(bundle.spec(['sleep', '100']));
    await rt.create(id, { bundle: bundle.dir });
    await rt.start(id);
    await rt.update(id, { pids: { limit: 42 } });
    expect(readFileSync(join(cgroupDir(id, 'pids'), 'pids.max'), 'utf8').trim()).toBe('42');
    const stats = rt.stats(id) as { pids?: { current?: number } };
    expect(stats.pids?.current).toBe(1);
  });

  it('delete cleans what a crashed create left: a directory without state, or a creating state', async () => {
    const half = uniqueId();
    mkdirSync(join(bundle.root, half), { recursive: true });
    await rt.delete(half, { force: true });
    expect(existsSync(join(bundle.root, half))).toBe(false);

    // a create that died after its first state write: status creating, no process
    const id = uniqueId();
    ids.push(id); // afterEach deletes it if an expectation below fails
    bundle.write(bundle.spec(['true']));
    const store = new StateStore(bundle.root);
    store.reserve(id);
    store.write({
      ociVersion: '1.2.1',
      id,
      bundle: bundle.dir,
      rootfs: join(bundle.dir, 'rootfs'),
      status: 'creating',
      pid: 0,
      pidStartTime: 0,
      created: new Date().toISOString(),
      annotations: {},
      cgroupPath: `/berth-runtime/${id}`,
      config: { ociVersion: '1.2.1' },
    });
    mkdirSync(cgroupDir(id, 'pids'), { recursive: true });
    expect(rt.state(id).status).toBe('creating');
    await rt.delete(id, { force: true });
    expect(existsSync(join(bundle.root, id))).toBe(false);
    expect(existsSync(cgroupDir(id, 'pids'))).toBe(false);
  });

  it('kill --all signals every process in the container, not only its init', async () => {
    const id = uniqueId();
    ids.push(id);
    // a pid namespace's init ignores signals it has no handler for; its child does not
    bundle.write(bundle.spec(['sh', '-c', 'sleep 100 & wait; sleep 100']));
    await rt.create(id, { bundle: bundle.dir });
    await rt.start(id);
    // bounded by time, not by a count of 10 ms naps (2 s in all was short for a loaded CI machine)
    const until = Date.now() + 20_000;
    while (rt.ps(id).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(rt.ps(id).length).toBe(2);
    const init = rt.state(id).pid;
    const child = rt.ps(id).find((p) => p !== init)!;
    await rt.kill(id, 'TERM', { all: true });
    while (rt.ps(id).includes(child) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    // the first sleep died of TERM; the init, ignoring it, is still there
    expect(rt.ps(id)).not.toContain(child);
    expect(rt.ps(id)).toContain(init);
    expect(rt.state(id).status).toBe('running');
  });
});
