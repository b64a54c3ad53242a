import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_NS, basicPlan, makeRootfs, mountsUnder } from '../test/helpers.js';
import {
  constants as C,
  ContainerInitError,
  type ContainerProcess,
  compileSeccomp,
  createContainer,
  recvFds,
  SeccompProfileError,
  socketpair,
  spawnContainer,
  waitReadable,
} from './index.js';

let dir: string;
let rootfs: string;
let outPath: string;
let out: number;
const procs: ContainerProcess[] = [];

beforeEach(() => {
  ({ dir, rootfs } = makeRootfs());
  outPath = join(dir, 'out');
  out = openSync(outPath, 'w+');
});
afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.state !== 'stopped') {
      p.kill();
      await p.wait();
    }
    expect(existsSync(`/proc/${p.pid}`)).toBe(false); // reaped: no zombie
  }
  closeSync(out);
  expect(mountsUnder(dir)).toEqual([]); // the child's mounts never reach the host
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], extra: object = {}): Promise<{ code: number | null; text: string }> {
  const p = await spawnContainer({ ...basicPlan(rootfs, args, out), ...extra });
  procs.push(p);
  const st = await p.wait();
  return { code: st.exitCode, text: readFileSync(outPath, 'utf8') };
}

describe('init engine on the real kernel', () => {
  it('a child in new pid/mount/uts/ipc/net/cgroup namespaces is pid 1, has its hostname, only lo, its own mounts', async () => {
    const r = await run([
      '/bin/sh',
      '-c',
      'echo pid=$$; echo host=$(hostname); echo net=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "); ' +
        'echo proc=$(grep -c " /proc " /proc/self/mountinfo); echo root=$(ls /); test -c /dev/null && echo null=ok',
    ]);
    expect(r.code).toBe(0);
    expect(r.text).toContain('pid=1\n');
    expect(r.text).toContain('host=berth-test\n');
    expect(r.text).toContain('net=lo\n');
    expect(r.text).toContain('proc=1\n');
    expect(r.text).toMatch(/root=bin dev etc (linuxrc )?proc root sbin sys tmp usr/);
    expect(r.text).toContain('null=ok');
  });

  it('the same with a new user namespace as well: all seven kinds at once', async () => {
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the mapped root (host uid 100000) out
    const r = await run(
      [
        '/bin/sh',
        '-c',
        'echo pid=$$ host=$(hostname) net=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " ") uid=$(id -u)',
      ],
      {
        cloneFlags: ALL_NS | C.CLONE_NEWUSER,
        uidMap: '0 100000 65536\n',
        gidMap: '0 100000 65536\n',
        devices: [{ path: join(rootfs, 'dev/null'), mode: C.S_IFCHR | 0o666, bindFrom: '/dev/null' }],
      },
    );
    expect(r.code).toBe(0);
    expect(r.text).toBe('pid=1 host=berth-test net=lo uid=0\n');
  });

  it('loopbackUp brings lo up in the new network namespace; without it lo stays down; only lo exists', async () => {
    const script = 'ip -o link | cut -d" " -f2,3; echo $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " ")';
    const up = await run(['/bin/sh', '-c', script], { loopbackUp: true });
    expect(up.code).toBe(0);
    expect(up.text).toMatch(/^lo: <LOOPBACK,UP,LOWER_UP>\nlo\n$/);
    const down = await run(['/bin/sh', '-c', script]); // same output file: its text follows
    expect(down.code).toBe(0);
    expect(down.text.slice(up.text.length)).toBe('lo: <LOOPBACK>\nlo\n');
  });

  it('loopbackUp works in a new user namespace too (the netns belongs to it)', async () => {
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the mapped root (host uid 100000) out
    const r = await run(['/bin/sh', '-c', 'ip -o link | cut -d" " -f2,3'], {
      cloneFlags: ALL_NS | C.CLONE_NEWUSER,
      uidMap: '0 100000 65536\n',
      gidMap: '0 100000 65536\n',
      devices: [{ path: join(rootfs, 'dev/null'), mode: C.S_IFCHR | 0o666, bindFrom: '/dev/null' }],
      loopbackUp: true,
    });
    expect(r.code).toBe(0);
    expect(r.text).toBe('lo: <LOOPBACK,UP,LOWER_UP>\n');
  });

  it('a loopback that cannot be brought up is reported with step loopback, the syscall and errno', async () => {
    // a netns owned by the host's user namespace, joined from a new user namespace: no CAP_NET_ADMIN there
    const holder = await createContainer(basicPlan(rootfs, ['/bin/true'], out));
    procs.push(holder);
    const err = await createContainer({
      cloneFlags: C.CLONE_NEWUSER,
      uidMap: '0 100000 65536\n',
      gidMap: '0 100000 65536\n',
      joinNamespaces: [{ nstype: C.CLONE_NEWNET, path: `/proc/${holder.pid}/ns/net` }],
      args: ['/bin/true'],
      loopbackUp: true,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(err.step).toBe('loopback');
    expect(err.code).toBe('EPERM');
    expect(err.path).toBe('ioctl(SIOCSIFFLAGS) lo');
    expect(err.message).toContain('loopback (ioctl(SIOCSIFFLAGS) lo): EPERM');
  });

  it('create/start split: the child does not exec until start()', async () => {
    const p = await createContainer(basicPlan(rootfs, ['/bin/echo', 'started'], out));
    procs.push(p);
    expect(p.state).toBe('created');
    expect(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8')).not.toContain('started');
    expect(readFileSync(outPath, 'utf8')).toBe('');
    await p.start();
    expect(p.state).toBe('running');
    expect((await p.wait()).exitCode).toBe(0);
    expect(readFileSync(outPath, 'utf8')).toBe('started\n');
  });

  it('a new user namespace gets the uid/gid maps written by the parent', async () => {
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the mapped root (host uid 100000) out
    const r = await run(['/bin/sh', '-c', 'id -u; cat /proc/self/uid_map'], {
      cloneFlags: ALL_NS | C.CLONE_NEWUSER,
      uidMap: '0 100000 65536\n',
      gidMap: '0 100000 65536\n',
      devices: [{ path: join(rootfs, 'dev/null'), mode: C.S_IFCHR | 0o666, bindFrom: '/dev/null' }],
    });
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^0\n\s+0\s+100000\s+65536\n$/);
  });

  it('afterClone runs before the child starts its plan: here it writes the id maps itself', async () => {
    chmodSync(dir, 0o755);
    let seen = 0;
    const p = await spawnContainer(
      {
        ...basicPlan(rootfs, ['/bin/sh', '-c', 'id -u; cat /proc/self/gid_map'], out),
        cloneFlags: ALL_NS | C.CLONE_NEWUSER,
        devices: [{ path: join(rootfs, 'dev/null'), mode: C.S_IFCHR | 0o666, bindFrom: '/dev/null' }],
      },
      {
        afterClone: (pid) => {
          seen = pid;
          writeFileSync(`/proc/${pid}/uid_map`, '0 300000 65536\n');
          writeFileSync(`/proc/${pid}/gid_map`, '0 300000 65536\n');
        },
      },
    );
    procs.push(p);
    expect(seen).toBe(p.pid);
    expect((await p.wait()).exitCode).toBe(0);
    expect(readFileSync(outPath, 'utf8')).toMatch(/^0\n\s+0\s+300000\s+65536\n$/);
  });

  it('a throwing afterClone kills and reaps the child', async () => {
    let pid = 0;
    const err = await createContainer(basicPlan(rootfs, ['/bin/true'], out), {
      afterClone: (p) => {
        pid = p;
        throw new Error('berth-test-hook');
      },
    }).catch((e) => e);
    expect(err.message).toBe('berth-test-hook');
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('drops capabilities, sets rlimits and the user', async () => {
    const r = await run(['/bin/sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status; ulimit -n; id -u'], {
      capabilities: { bounding: 1n << 21n, effective: 0n, permitted: 0n, inheritable: 0n, ambient: 0n },
      rlimits: [{ resource: C.RLIMIT_NOFILE, soft: 123, hard: 456 }],
      user: { uid: 1000, gid: 1000 },
      noNewPrivileges: true,
    });
    expect(r.code).toBe(0);
    expect(r.text).toContain('CapEff:\t0000000000000000');
    expect(r.text).toContain('CapBnd:\t0000000000200000');
    expect(r.text).toContain('123\n1000\n');
  });

  it('inherited stdio stays open across exec even if the parent has it close-on-exec', async () => {
    const p = await spawnContainer({
      cloneFlags: C.CLONE_NEWUTS,
      args: [
        '/bin/busybox',
        'sh',
        '-c',
        'test -e /proc/self/fd/0 && test -e /proc/self/fd/1 && test -e /proc/self/fd/2',
      ],
    });
    procs.push(p);
    expect((await p.wait()).exitCode).toBe(0);
  });

  it('signals Node ignores (SIGPIPE) are back to default in the container', async () => {
    const r = await run(['/bin/grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']);
    expect(r.code).toBe(0);
    expect(r.text).toContain('SigBlk:\t0000000000000000');
    expect(r.text).toContain('SigIgn:\t0000000000000000');
  });

  it('wait() leaves the event loop free while the container runs', async () => {
    const p = await spawnContainer(basicPlan(rootfs, ['/bin/sleep', '1000'], out));
    procs.push(p);
    let ticks = 0;
    const waiting = p.wait().then((st) => ({ st, ticks }));
    await new Promise((r) => setImmediate(r));
    ticks++; // the loop turned while wait() was pending
    expect(p.state).toBe('running');
    p.kill(C.SIGKILL); // it is pid 1 of its namespace: SIGTERM without a handler would be ignored
    const { st, ticks: seen } = await waiting;
    expect(seen).toBe(1);
    expect(st.signal).toBe(C.SIGKILL);
  });

  it('reports a missing rootfs with step, path and errno, and leaves no process', async () => {
    const err = await createContainer(basicPlan(join(dir, 'missing'), ['/bin/true'], out)).catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(err.step).toBe('rootfs-bind');
    expect(err.code).toBe('ENOENT');
    expect(err.path).toBe(join(dir, 'missing'));
  });

  it('reports a bad mount with step mount and the target', async () => {
    const plan = basicPlan(rootfs, ['/bin/true'], out);
    plan.mounts = [{ source: 'x', target: join(rootfs, 'mnt'), fstype: 'berthnofs' }];
    const err = await createContainer(plan).catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(err.step).toBe('mount');
    expect(err.code).toBe('ENODEV');
    expect(err.path).toBe(join(rootfs, 'mnt'));
  });

  it('a child killed before it is ready is reported with its wait status', async () => {
    const err = await createContainer(basicPlan(rootfs, ['/bin/true'], out), {
      afterClone: (pid) => {
        process.kill(pid, 'SIGKILL');
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(err.step).toBe('sync');
    expect(err.status.signal).toBe(C.SIGKILL);
  });

  it('starting a created child that was killed meanwhile reports its wait status', async () => {
    const p = await createContainer(basicPlan(rootfs, ['/bin/true'], out));
    procs.push(p);
    p.kill();
    await waitReadable(p.pidfd); // the pidfd turns readable once it has exited
    const err = await p.start().catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(p.state).toBe('stopped');
  });

  it('reports a missing executable at start with step exec', async () => {
    const p = await createContainer(basicPlan(rootfs, ['no-such-berth-binary'], out));
    procs.push(p);
    const err = await p.start().catch((e) => e);
    expect(err).toBeInstanceOf(ContainerInitError);
    expect(err.step).toBe('exec');
    expect(err.code).toBe('ENOENT');
    expect(p.state).toBe('stopped');
  });

  it('joins the namespaces of a running container (exec)', async () => {
    const sleeper = await spawnContainer(basicPlan(rootfs, ['/bin/sleep', '100'], out));
    procs.push(sleeper);
    const nsTypes: [string, number][] = [
      ['pid', C.CLONE_NEWPID],
      ['mnt', C.CLONE_NEWNS],
      ['uts', C.CLONE_NEWUTS],
      ['net', C.CLONE_NEWNET],
      ['ipc', C.CLONE_NEWIPC],
    ];
    const before = nsTypes.map(([n]) =>
      readlinkSync(`/proc/thread-self/ns/${n === 'pid' ? 'pid_for_children' : n}`),
    );
    const p = await spawnContainer({
      joinNamespaces: nsTypes.map(([n, t]) => ({ nstype: t, path: `/proc/${sleeper.pid}/ns/${n}` })),
      args: ['/bin/sh', '-c', 'hostname; cat /proc/1/comm'],
      env: ['PATH=/bin'],
      cwd: '/',
      stdio: [-1, out, out],
    });
    procs.push(p);
    expect((await p.wait()).exitCode).toBe(0);
    expect(readFileSync(outPath, 'utf8')).toBe('berth-test\nsleep\n');
    // the test process itself is back in its own namespaces
    const after = nsTypes.map(([n]) =>
      readlinkSync(`/proc/thread-self/ns/${n === 'pid' ? 'pid_for_children' : n}`),
    );
    expect(after).toEqual(before);
  });
});

describe('plan details', () => {
  it('the parent joins the child to its cgroup before releasing it', async () => {
    const cg = `/sys/fs/cgroup/pids/berth-test-${process.pid}-${Date.now()}`;
    mkdirSync(cg);
    try {
      const r = await run(['/bin/sh', '-c', 'grep pids /proc/self/cgroup'], {
        cloneFlags: ALL_NS & ~C.CLONE_NEWCGROUP,
        cgroupProcs: [join(cg, 'cgroup.procs')],
      });
      expect(r.code).toBe(0);
      expect(r.text.trim().replace(/^\d+:/, '')).toBe(`pids:${cg.slice('/sys/fs/cgroup/pids'.length)}`);
    } finally {
      rmdirSync(cg);
    }
  });

  it('a new cgroup namespace is rooted at the cgroup the parent joined the child to', async () => {
    const cg = `/sys/fs/cgroup/pids/berth-test-cgns-${process.pid}-${Date.now()}`;
    mkdirSync(cg);
    try {
      const r = await run(['/bin/sh', '-c', 'grep pids /proc/self/cgroup'], {
        cloneFlags: ALL_NS,
        cgroupProcs: [join(cg, 'cgroup.procs')],
      });
      expect(r.code).toBe(0);
      expect(r.text.trim().replace(/^\d+:/, '')).toBe('pids:/');
    } finally {
      rmdirSync(cg);
    }
  });

  it('a new time namespace takes its offsets before exec', async () => {
    const r = await run(['/bin/sh', '-c', 'cut -d. -f1 /proc/uptime'], {
      cloneFlags: ALL_NS | C.CLONE_NEWTIME,
      timeOffsets: [{ clock: 'boottime', secs: 10_000_000 }],
    });
    expect(r.code).toBe(0);
    expect(Number(r.text.trim())).toBeGreaterThanOrEqual(10_000_000);
  });

  it('writes sysctls (before /proc/sys turns read-only), oom_score_adj, domainname and personality', async () => {
    const r = await run(
      [
        '/bin/sh',
        '-c',
        'cat /proc/sys/net/ipv4/ip_forward /proc/self/oom_score_adj /proc/sys/kernel/domainname; uname -m',
      ],
      {
        sysctls: [{ path: '/proc/sys/net/ipv4/ip_forward', value: '1' }],
        oomScoreAdj: 500,
        domainname: 'berth.test',
        personality: 0x0008, // PER_LINUX32
      },
    );
    expect(r.code).toBe(0);
    expect(r.text).toBe('1\n500\nberth.test\ni686\n');
  });

  it('noPivot moves the rootfs onto / and chroots (for rootfs on ramfs)', async () => {
    const r = await run(['/bin/sh', '-c', 'ls /; test -d /proc/1 && echo proc=ok'], { noPivot: true });
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^bin\ndev\netc\n/);
    expect(r.text).toContain('proc=ok\n');
  });

  it('masks paths, makes paths and the root read-only, bind-mounts files', async () => {
    writeFileSync(join(dir, 'hostfile'), 'from-host\n');
    const plan = basicPlan(
      rootfs,
      [
        '/bin/sh',
        '-c',
        'echo timers=$(wc -c < /proc/timer_list); touch /proc/sys/berth 2>/dev/null || echo sys=ro; ' +
          'touch /berth 2>/dev/null || echo root=ro; touch /tmp/ok && echo tmp=rw; cat /etc/berth-file',
      ],
      out,
    );
    plan.rootReadonly = true;
    plan.mounts!.push({
      source: join(dir, 'hostfile'),
      target: join(rootfs, 'etc/berth-file'),
      flags: C.MS_BIND | C.MS_RDONLY,
      file: true,
    });
    const p = await spawnContainer(plan);
    procs.push(p);
    expect((await p.wait()).exitCode).toBe(0);
    expect(readFileSync(outPath, 'utf8')).toBe('timers=0\nsys=ro\nroot=ro\ntmp=rw\nfrom-host\n');
  });

  it('leaves no fd behind in the parent', async () => {
    const before = readdirSync('/proc/self/fd').length;
    await run(['/bin/true']);
    await createContainer(basicPlan(join(dir, 'missing'), ['/bin/true'], out)).catch(() => undefined);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });
});

describe('console socket', () => {
  it('the child opens a pty in its own devpts, sends the master over SCM_RIGHTS and runs on the slave', async () => {
    const [mine, theirs] = socketpair();
    const plan = basicPlan(rootfs, ['/bin/sh', '-c', 'tty; echo hello-console'], out);
    plan.mounts!.push({
      source: 'devpts',
      target: join(rootfs, 'dev/pts'),
      fstype: 'devpts',
      flags: C.MS_NOSUID | C.MS_NOEXEC,
      data: 'newinstance,ptmxmode=0666,mode=0620',
    });
    plan.symlinks!.push({ target: 'pts/ptmx', path: join(rootfs, 'dev/ptmx') });
    let master = -1;
    try {
      const p = await createContainer({ ...plan, consoleSocket: theirs!, setsid: true });
      procs.push(p);
      closeSync(theirs!);
      await waitReadable(mine!);
      const got = recvFds(mine!, 1, 64);
      expect(got.data.toString()).toBe('berth-console');
      master = got.fds[0]!;
      await p.start();
      expect((await p.wait()).exitCode).toBe(0);
      let text = '';
      const buf = Buffer.alloc(4096);
      for (;;) {
        let n = 0;
        try {
          n = readSync(master, buf);
        } catch {
          break; // EIO once the slave side is gone and the buffer is drained
        }
        if (n === 0) break;
        text += buf.toString('utf8', 0, n);
      }
      expect(text).toMatch(/\/dev\/pts\/0\r?\nhello-console/);
    } finally {
      closeSync(mine!);
      if (master >= 0) closeSync(master);
    }
  });
});

describe('seccomp', () => {
  it('loads the compiled OCI profile last: a denied syscall fails with the profile errno', async () => {
    const { program, flags } = compileSeccomp({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [
        { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['no_such_berth_syscall'], action: 'SCMP_ACT_KILL' },
      ],
    });
    expect(program.length % 8).toBe(0);
    const r = await run(['/bin/sh', '-c', 'mkdir /tmp/x 2>&1; echo rc=$?; echo ok'], {
      seccomp: program,
      seccompFlags: flags,
      noNewPrivileges: true,
    });
    expect(r.code).toBe(0);
    expect(r.text).toContain('Permission denied');
    expect(r.text).toContain('rc=1\nok\n');
  });

  it('names the bad part of a profile', () => {
    expect(() => compileSeccomp({ defaultAction: 'SCMP_ACT_NOPE' })).toThrow(SeccompProfileError);
    expect(() =>
      compileSeccomp({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['read'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'BAD' }] }],
      }),
    ).toThrow(/syscalls\[0\]\.args\[0\]\.op/);
  });
});
