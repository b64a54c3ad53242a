import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as C } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSpec } from './default-spec.js';
import { deviceRules, planDevices } from './devices.js';
import { parseMountOptions } from './mount-options.js';
import { planMounts } from './mounts.js';
import { buildInitPlan } from './plan.js';
import { planCapabilities, planRlimits } from './process-plan.js';
import { secureJoin } from './securejoin.js';
import { parseSpec } from './spec.js';

let bundle: string;
let rootfs: string;
beforeEach(() => {
  bundle = mkdtempSync(join(tmpdir(), 'berth-runtime-plan-'));
  rootfs = join(bundle, 'rootfs');
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
});
afterEach(() => rmSync(bundle, { recursive: true, force: true }));

describe('parseMountOptions', () => {
  it('maps flag words to MS_* bits, clears with their opposites, and keeps the rest as data', () => {
    const p = parseMountOptions(['nosuid', 'noexec', 'ro', 'rw', 'mode=755', 'size=64k', 'rslave'], 'm');
    expect(p.flags).toBe(C.MS_NOSUID | C.MS_NOEXEC);
    expect(p.propagation).toBe(C.MS_SLAVE | C.MS_REC);
    expect(p.data).toBe('mode=755,size=64k');
  });

  it('rbind is a recursive bind; the last propagation word wins', () => {
    const p = parseMountOptions(['rbind', 'shared', 'private'], 'm');
    expect(p.flags).toBe(C.MS_BIND | C.MS_REC);
    expect(p.propagation).toBe(C.MS_PRIVATE);
  });

  it('refuses options berth does not carry out, naming the option', () => {
    expect(() => parseMountOptions(['ro', 'tmpcopyup'], 'mounts[1].options')).toThrow(
      /mounts\[1\]\.options\[1\]/,
    );
  });

  it('recursive words become mount_setattr attributes; a later word wins', () => {
    const p = parseMountOptions(['rbind', 'rro', 'rnosuid', 'rnoatime', 'rrw'], 'm');
    expect(p.flags).toBe(C.MS_BIND | C.MS_REC);
    expect(p.attrSet).toBe(C.MOUNT_ATTR_NOSUID | 0x10);
    expect(p.attrClr).toBe(C.MOUNT_ATTR_RDONLY | 0x70);
    expect(p.idmapRecursive).toBeUndefined();
    expect(parseMountOptions(['bind', 'ridmap'], 'm').idmapRecursive).toBe(true);
    expect(parseMountOptions(['bind', 'idmap'], 'm').idmapRecursive).toBe(false);
  });
});

describe('secureJoin', () => {
  it('follows symlinks as if the rootfs were /, never out of it', () => {
    symlinkSync('/../../../outside', join(rootfs, 'escape'));
    symlinkSync('../etc', join(rootfs, 'rel'));
    expect(secureJoin(rootfs, '/escape/x')).toBe(join(rootfs, 'outside/x'));
    expect(secureJoin(rootfs, '../../etc/passwd')).toBe(join(rootfs, 'etc/passwd'));
    expect(secureJoin(rootfs, '/rel/hosts')).toBe(join(rootfs, 'etc/hosts'));
  });
});

describe('planMounts', () => {
  it('resolves targets under the rootfs and bind sources against the bundle; a file source is a file bind', () => {
    writeFileSync(join(bundle, 'hosts'), '');
    const plan = planMounts(
      [
        { destination: '/proc', type: 'proc', source: 'proc' },
        { destination: '/etc/hosts', type: 'bind', source: 'hosts', options: ['rbind', 'ro'] },
        { destination: '/data', source: bundle, options: ['bind'] },
      ],
      { bundle, rootfs, netNamespace: true, ipcNamespace: true },
    );
    expect(plan.mounts[0]).toMatchObject({
      target: join(rootfs, 'proc'),
      fstype: 'proc',
      source: 'proc',
      flags: 0,
    });
    expect(plan.mounts[1]).toMatchObject({
      source: join(bundle, 'hosts'),
      target: join(rootfs, 'etc/hosts'),
      flags: C.MS_BIND | C.MS_REC | C.MS_RDONLY,
      file: true,
    });
    expect(plan.mounts[2]).toMatchObject({ source: bundle, flags: C.MS_BIND, file: false });
  });

  it('bind-mounts /sys without a network namespace and /dev/mqueue without an ipc one (as runc)', () => {
    const plan = planMounts(
      [
        { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['ro'] },
        { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue' },
      ],
      { bundle, rootfs, netNamespace: false, ipcNamespace: false },
    );
    expect(plan.mounts[0]).toMatchObject({
      source: '/sys',
      fstype: '',
      flags: C.MS_BIND | C.MS_REC | C.MS_RDONLY,
    });
    expect(plan.mounts[1]).toMatchObject({ source: '/dev/mqueue', flags: C.MS_BIND });
  });

  it('a cgroup mount is a tmpfs with the container cgroup of each hierarchy bound under it', () => {
    const plan = planMounts([{ destination: '/sys/fs/cgroup', type: 'cgroup', options: ['ro', 'nosuid'] }], {
      bundle,
      rootfs,
      netNamespace: true,
      ipcNamespace: true,
      cgroupSources: [
        { name: 'memory', hostDir: '/sys/fs/cgroup/memory/x' },
        { name: 'cpu,cpuacct', hostDir: '/sys/fs/cgroup/cpu,cpuacct/x' },
      ],
    });
    expect(plan.mounts.map((m) => [m.fstype || m.source, m.target])).toEqual([
      ['tmpfs', join(rootfs, 'sys/fs/cgroup')],
      ['/sys/fs/cgroup/memory/x', join(rootfs, 'sys/fs/cgroup/memory')],
      ['/sys/fs/cgroup/cpu,cpuacct/x', join(rootfs, 'sys/fs/cgroup/cpu,cpuacct')],
    ]);
    expect((plan.mounts[1]!.flags ?? 0) & C.MS_RDONLY).toBe(C.MS_RDONLY);
    expect(plan.symlinks.map((s) => s.path)).toEqual([
      join(rootfs, 'sys/fs/cgroup/cpu'),
      join(rootfs, 'sys/fs/cgroup/cpuacct'),
    ]);
  });

  it('on cgroup v2 the container cgroup directory itself is bound at the target', () => {
    const plan = planMounts([{ destination: '/sys/fs/cgroup', type: 'cgroup', options: ['ro'] }], {
      bundle,
      rootfs,
      netNamespace: true,
      ipcNamespace: true,
      cgroupSources: [{ name: '', hostDir: '/sys/fs/cgroup/berth/x' }],
    });
    expect(plan.mounts).toEqual([
      expect.objectContaining({
        source: '/sys/fs/cgroup/berth/x',
        target: join(rootfs, 'sys/fs/cgroup'),
        flags: C.MS_BIND | C.MS_REC | C.MS_RDONLY,
      }),
    ]);
  });

  it('names the JSON path of a bad mount', () => {
    expect(() =>
      planMounts([{ destination: 'rel', type: 'tmpfs' }], {
        bundle,
        rootfs,
        netNamespace: true,
        ipcNamespace: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'EINVALIDSPEC', where: 'mounts[0].destination' }));
  });
});

describe('devices', () => {
  it('gives the default devices, lets linux.devices replace one, and binds host nodes in a user namespace', () => {
    const devs = planDevices([{ type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o600 }], {
      rootfs,
      userNamespace: false,
    });
    expect(devs.map((d) => d.path)).toEqual(
      ['null', 'zero', 'full', 'random', 'urandom', 'tty'].map((n) => join(rootfs, 'dev', n)),
    );
    expect(devs[0]!.mode).toBe(C.S_IFCHR | 0o600);
    expect(planDevices([], { rootfs, userNamespace: true })[0]!.bindFrom).toBe('/dev/null');
  });

  it('allows the default devices and linux.devices after the spec rules in the device cgroup', () => {
    const rules = deviceRules(
      [{ allow: false, access: 'rwm' }],
      [{ type: 'b', path: '/dev/sda', major: 8, minor: 0 }],
    );
    expect(rules[0]).toEqual({ allow: false, access: 'rwm' });
    expect(rules).toContainEqual({ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' });
    expect(rules.at(-1)).toEqual({ allow: true, type: 'b', major: 8, minor: 0, access: 'rwm' });
  });
});

describe('process fields', () => {
  it('turns the five capability sets into masks and skips unknown names', () => {
    const c = planCapabilities({
      bounding: ['CAP_KILL', 'CAP_NET_RAW'],
      effective: ['CAP_KILL'],
      ambient: ['CAP_FUTURE'],
    });
    expect(c.capabilities.bounding).toBe((1n << BigInt(C.CAP_KILL)) | (1n << BigInt(C.CAP_NET_RAW)));
    expect(c.capabilities.effective).toBe(1n << BigInt(C.CAP_KILL));
    expect(c.capabilities.permitted).toBe(0n);
    expect(c.unknown).toEqual(['CAP_FUTURE']);
  });

  it('keeps only the ambient capabilities the kernel can raise (permitted and inheritable), as runc does', () => {
    const c = planCapabilities({
      permitted: ['CAP_KILL', 'CAP_CHOWN'],
      inheritable: ['CAP_KILL'],
      ambient: ['CAP_KILL', 'CAP_CHOWN'],
    });
    expect(c.capabilities.ambient).toBe(1n << BigInt(C.CAP_KILL));
  });

  it("runs runc spec's default process (ambient caps listed without inheritable ones)", async () => {
    const { defaultSpec: ociDefaultSpec } = await import('@berth/oci-spec');
    const caps = ociDefaultSpec().process?.capabilities;
    expect(caps?.ambient?.length).toBeGreaterThan(0);
    expect(planCapabilities(caps!).capabilities.ambient).toBe(0n);
  });

  it('maps rlimit names to resources and refuses soft > hard or unknown names', () => {
    expect(planRlimits([{ type: 'RLIMIT_NOFILE', soft: 10, hard: 20 }])).toEqual([
      { resource: C.RLIMIT_NOFILE, soft: 10, hard: 20 },
    ]);
    expect(() => planRlimits([{ type: 'RLIMIT_NOFILE', soft: 30, hard: 20 }])).toThrow(/soft/);
    expect(() => planRlimits([{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }])).toThrow(
      /process\.rlimits\[0\]\.type/,
    );
  });
});

describe('buildInitPlan', () => {
  it('turns the default spec into a plan: namespaces, mounts, devices, masks, sysctls, user, caps', () => {
    const spec = defaultSpec();
    spec.process!.terminal = false;
    spec.process!.user = { uid: 1000, gid: 1000, additionalGids: [5] };
    spec.process!.oomScoreAdj = 100;
    spec.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    spec.linux!.personality = { domain: 'LINUX32' };
    spec.linux!.rootfsPropagation = 'private';
    spec.domainname = 'example';
    const { plan, rootfs: r } = buildInitPlan(parseSpec(spec), { bundle, cgroupProcs: ['/cg/cgroup.procs'] });
    expect(r).toBe(rootfs);
    // runc 1.1's default spec (the one defaultSpec() reproduces) has no cgroup namespace
    expect(plan.cloneFlags).toBe(
      C.CLONE_NEWPID | C.CLONE_NEWNET | C.CLONE_NEWIPC | C.CLONE_NEWUTS | C.CLONE_NEWNS,
    );
    expect(plan.loopbackUp).toBe(true); // a new netns: lo up (runc's loopback network)
    expect(plan.rootReadonly).toBe(true);
    expect(plan.hostname).toBe('runc');
    expect(plan.domainname).toBe('example');
    expect(plan.user).toEqual({ uid: 1000, gid: 1000, additionalGids: [5] });
    expect(plan.oomScoreAdj).toBe(100);
    expect(plan.personality).toBe(8);
    expect(plan.rootfsPropagation).toBe(C.MS_PRIVATE);
    expect(plan.sysctls).toEqual([{ path: '/proc/sys/net/ipv4/ip_forward', value: '1' }]);
    expect(plan.maskedPaths).toContain('/proc/kcore');
    expect(plan.readonlyPaths).toContain('/proc/sys');
    expect(plan.cgroupProcs).toEqual(['/cg/cgroup.procs']);
    expect(plan.noNewPrivileges).toBe(true);
    expect(plan.rlimits).toEqual([{ resource: C.RLIMIT_NOFILE, soft: 1024, hard: 1024 }]);
    expect(plan.symlinks).toContainEqual({ target: 'pts/ptmx', path: join(rootfs, 'dev/ptmx') });
    expect(plan.mounts!.map((m) => m.target)).toContain(join(rootfs, 'dev/pts'));
  });

  it('asks the engine for lo up only for a network namespace of its own, not a joined or the host one', () => {
    const joined = defaultSpec();
    joined.process!.terminal = false;
    joined.linux!.namespaces = joined.linux!.namespaces!.map((n) =>
      n.type === 'network' ? { type: 'network', path: '/proc/1/ns/net' } : n,
    );
    expect(buildInitPlan(parseSpec(joined), { bundle }).plan.loopbackUp).toBeUndefined();
    const host = defaultSpec();
    host.process!.terminal = false;
    host.linux!.namespaces = host.linux!.namespaces!.filter((n) => n.type !== 'network');
    expect(buildInitPlan(parseSpec(host), { bundle }).plan.loopbackUp).toBeUndefined();
  });

  it('needs a console socket for a terminal, a mount namespace, and a uts namespace for a hostname', () => {
    expect(() => buildInitPlan(parseSpec(defaultSpec()), { bundle })).toThrow(/console socket/);
    const noMnt = defaultSpec();
    noMnt.process!.terminal = false;
    noMnt.linux!.namespaces = [{ type: 'pid' }];
    expect(() => buildInitPlan(parseSpec(noMnt), { bundle })).toThrow(/mount namespace/);
    const noUts = defaultSpec();
    noUts.process!.terminal = false;
    noUts.linux!.namespaces = [{ type: 'mount' }];
    expect(() => buildInitPlan(parseSpec(noUts), { bundle })).toThrow(
      expect.objectContaining({ where: 'hostname' }),
    );
  });

  it('compiles linux.seccomp into the plan', () => {
    const spec = defaultSpec();
    spec.process!.terminal = false;
    spec.linux!.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }],
    };
    const { plan } = buildInitPlan(parseSpec(spec), { bundle });
    expect(plan.seccomp!.byteLength).toBeGreaterThan(0);
  });

  it('refuses an AppArmor profile this host cannot apply, naming the field', () => {
    const spec = defaultSpec();
    spec.process!.terminal = false;
    spec.process!.apparmorProfile = 'docker-default';
    expect(() => buildInitPlan(parseSpec(spec), { bundle })).toThrow(
      expect.objectContaining({ code: 'EUNSUPPORTED', where: 'process.apparmorProfile' }),
    );
  });

  it('reports bad config.json with the JSON path', () => {
    expect(() => parseSpec({ ociVersion: '1.2.1', process: { args: [], cwd: '/' } })).toThrow(
      expect.objectContaining({ code: 'EINVALIDSPEC', where: 'process.args' }),
    );
  });
});
