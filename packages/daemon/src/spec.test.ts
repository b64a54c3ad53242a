import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { compileSeccomp } from '@berth/native';
import { RuntimeSpec } from '@berth/oci-spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_CAPABILITIES,
  containerCapabilities,
  DEFAULT_CAPABILITIES,
  hostCapabilities,
} from './capabilities.js';
import { createdState } from './created-state.js';
import { dirReader } from './rootfs-reader.js';
import { defaultSeccompProfile } from './seccomp-default.js';
import { buildSpec, MASKED_PATHS } from './spec.js';
import type { ContainerRecord, HostConfig } from './types.js';

let dir: string;
let rootfs: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-daemon-spec-'));
  rootfs = join(dir, 'rootfs');
  makeBusyboxRootfs(rootfs);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(host: HostConfig = {}, config: ContainerRecord['Config'] = {}): ContainerRecord {
  return {
    Id: 'a'.repeat(64),
    Created: new Date().toISOString(),
    Path: 'sh',
    Args: [],
    Name: '/berth-spec',
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    Image: `sha256:${'b'.repeat(64)}`,
    Config: { Cmd: ['echo', 'hi'], Env: ['A=1'], ...config },
    HostConfig: host,
    State: createdState(),
    MountPoints: [],
    LogPath: '',
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    SnapshotKey: 'a'.repeat(64),
    HasBeenManuallyStopped: false,
  };
}

const spec = (host: HostConfig = {}, config: ContainerRecord['Config'] = {}) =>
  buildSpec({
    record: record(host, config),
    rootfs: 'rootfs',
    readRootfs: dirReader(rootfs),
    cgroupParent: '/berth-test',
  });

describe('HostConfig → OCI runtime spec', () => {
  it('a default container is a valid config.json with Docker defaults', () => {
    const s = spec();
    expect(RuntimeSpec.safeParse(s).success).toBe(true);
    expect(s.process?.args).toEqual(['echo', 'hi']);
    expect(s.process?.env).toContain('A=1');
    expect(s.process?.env?.some((e) => e.startsWith('PATH='))).toBe(true);
    expect(s.process?.env).toContain(`HOSTNAME=${'a'.repeat(12)}`);
    expect(s.process?.capabilities?.bounding).toEqual(
      ALL_CAPABILITIES.filter((c) => DEFAULT_CAPABILITIES.includes(c)),
    );
    expect(s.linux?.seccomp?.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(s.linux?.maskedPaths).toEqual(MASKED_PATHS);
    expect(s.linux?.cgroupsPath).toBe(`/berth-test/${'a'.repeat(64)}`);
    expect(s.linux?.namespaces?.map((n) => n.type).sort()).toEqual(['ipc', 'mount', 'network', 'pid', 'uts']);
    expect(s.linux?.resources?.devices?.[0]).toEqual({ allow: false, access: 'rwm' });
    expect(s.mounts?.find((m) => m.destination === '/sys')?.options).toContain('ro');
    expect(s.hostname).toBe('a'.repeat(12));
  });

  it('resources map to linux.resources (memory, cpus, shares, pids, cpuset)', () => {
    const s = spec({
      Memory: 64 << 20,
      NanoCpus: 1_500_000_000,
      CpuShares: 512,
      PidsLimit: 50,
      CpusetCpus: '0',
      MemorySwappiness: -1,
    });
    expect(s.linux?.resources?.memory).toEqual({ limit: 64 << 20 });
    expect(s.linux?.resources?.cpu).toEqual({ shares: 512, period: 100000, quota: 150000, cpus: '0' });
    expect(s.linux?.resources?.pids).toEqual({ limit: 50 });
  });

  it('cap-add/cap-drop work over the default set; ALL; privileged gets every capability and no seccomp', () => {
    expect(containerCapabilities({ capAdd: ['SYS_ADMIN'], capDrop: ['net_raw'] })).toContain('CAP_SYS_ADMIN');
    expect(containerCapabilities({ capDrop: ['NET_RAW'] })).not.toContain('CAP_NET_RAW');
    expect(containerCapabilities({ capDrop: ['ALL'], capAdd: ['CHOWN'] })).toEqual(['CAP_CHOWN']);
    expect(() => containerCapabilities({ capAdd: ['NOPE'] })).toThrow(/invalid cap-add capability/);
    const p = spec({ Privileged: true });
    expect(p.process?.capabilities?.bounding).toEqual(hostCapabilities());
    expect(hostCapabilities().every((c) => ALL_CAPABILITIES.includes(c))).toBe(true);
    expect(p.linux?.seccomp).toBeUndefined();
    expect(p.linux?.maskedPaths).toEqual([]);
    expect(p.linux?.resources?.devices).toEqual([{ allow: true, access: 'rwm' }]);
  });

  it('security-opt: seccomp=unconfined, a JSON profile, no-new-privileges; bad options are 400', () => {
    expect(spec({ SecurityOpt: ['seccomp=unconfined'] }).linux?.seccomp).toBeUndefined();
    const custom = spec({
      SecurityOpt: [
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}',
      ],
    });
    expect(custom.linux?.seccomp?.defaultAction).toBe('SCMP_ACT_ALLOW');
    expect(spec({ SecurityOpt: ['no-new-privileges'] }).process?.noNewPrivileges).toBe(true);
    expect(() => spec({ SecurityOpt: ['bogus=1'] })).toThrow(expect.objectContaining({ statusCode: 400 }));
    expect(() => spec({ SecurityOpt: ['seccomp=/nonexistent/profile.json'] })).toThrow(
      /opening seccomp profile/,
    );
  });

  it('the default seccomp profile compiles (libseccomp) for both the default and a SYS_ADMIN set', () => {
    expect(compileSeccomp(defaultSeccompProfile(DEFAULT_CAPABILITIES)).program.length).toBeGreaterThan(0);
    const admin = defaultSeccompProfile([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']);
    expect(admin.syscalls?.some((s) => s.names.includes('mount'))).toBe(true);
    expect(defaultSeccompProfile(DEFAULT_CAPABILITIES).syscalls?.some((s) => s.names.includes('mount'))).toBe(
      false,
    );
    expect(compileSeccomp(admin).program.length).toBeGreaterThan(0);
  });

  it('user, workdir, read-only rootfs, tmpfs and bind mounts, sysctls, ulimits', () => {
    const r = record(
      {
        ReadonlyRootfs: true,
        Sysctls: { 'net.ipv4.ip_forward': '1' },
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      },
      { User: 'nobody', WorkingDir: '/tmp' },
    );
    r.MountPoints = [
      { Type: 'bind', Source: '/tmp', Destination: '/data', Mode: 'ro', RW: false, Propagation: 'rprivate' },
      {
        Type: 'tmpfs',
        Source: 'tmpfs',
        Destination: '/run',
        Mode: '',
        RW: true,
        Propagation: '',
        Options: ['nosuid', 'size=1m'],
      },
    ];
    const s = buildSpec({
      record: r,
      rootfs: 'rootfs',
      readRootfs: dirReader(rootfs),
      cgroupParent: '/berth',
    });
    expect(s.process?.user).toMatchObject({ uid: 65534, gid: 65534 });
    expect(s.process?.cwd).toBe('/tmp');
    expect(s.root?.readonly).toBe(true);
    expect(s.mounts?.find((m) => m.destination === '/data')).toEqual({
      destination: '/data',
      type: 'bind',
      source: '/tmp',
      options: ['rbind', 'rprivate', 'ro'],
    });
    expect(s.mounts?.find((m) => m.destination === '/run')?.type).toBe('tmpfs');
    expect(s.linux?.sysctl).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(s.process?.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 }]);
    expect(() => spec({}, { User: 'nosuchuser' })).toThrow(/unable to find user nosuchuser/);
  });

  it('host network/pid/ipc share the host namespaces; a given netns path is joined', () => {
    const s = spec({ NetworkMode: 'host', PidMode: 'host', IpcMode: 'host' });
    expect(s.linux?.namespaces?.map((n) => n.type).sort()).toEqual(['mount', 'uts']);
    const j = buildSpec({
      record: record(),
      rootfs: 'rootfs',
      readRootfs: dirReader(rootfs),
      cgroupParent: '/b',
      netnsPath: '/run/netns/x',
    });
    expect(j.linux?.namespaces).toContainEqual({ type: 'network', path: '/run/netns/x' });
  });
});
