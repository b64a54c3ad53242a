// Test helpers: a tiny busybox rootfs (the shape of @berth/fixtures' makeBusyboxRootfs, kept local so
// the addon's tests need no other workspace package) and a plan for a fully namespaced child.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants as C, type InitPlanInput } from '../src/index.js';

export function makeRootfs(): { dir: string; rootfs: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-engine-'));
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root']) {
    mkdirSync(join(rootfs, sub), { recursive: true });
  }
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const a of applets) {
    if (a === 'bin/busybox') continue;
    mkdirSync(dirname(join(rootfs, a)), { recursive: true });
    try {
      symlinkSync('/bin/busybox', join(rootfs, a));
    } catch {}
  }
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\n');
  return { dir, rootfs };
}

export const ALL_NS =
  C.CLONE_NEWPID | C.CLONE_NEWNS | C.CLONE_NEWUTS | C.CLONE_NEWIPC | C.CLONE_NEWNET | C.CLONE_NEWCGROUP;

/** A plan like a runtime would compute: /proc, a tmpfs /dev with null/zero, hostname, stdio to a file. */
export function basicPlan(rootfs: string, args: string[], stdoutFd: number): InitPlanInput {
  return {
    cloneFlags: ALL_NS,
    rootfs,
    mounts: [
      {
        source: 'proc',
        target: join(rootfs, 'proc'),
        fstype: 'proc',
        flags: C.MS_NOSUID | C.MS_NODEV | C.MS_NOEXEC,
      },
      {
        source: 'tmpfs',
        target: join(rootfs, 'dev'),
        fstype: 'tmpfs',
        flags: C.MS_NOSUID,
        data: 'mode=755,size=64k',
      },
      { source: 'tmpfs', target: join(rootfs, 'tmp'), fstype: 'tmpfs', flags: C.MS_NOSUID | C.MS_NODEV },
    ],
    devices: [
      { path: join(rootfs, 'dev/null'), mode: C.S_IFCHR | 0o666, major: 1, minor: 3 },
      { path: join(rootfs, 'dev/zero'), mode: C.S_IFCHR | 0o666, major: 1, minor: 5 },
    ],
    symlinks: [{ target: '/proc/self/fd', path: join(rootfs, 'dev/fd') }],
    maskedPaths: ['/proc/kcore', '/proc/timer_list', '/proc/acpi'],
    readonlyPaths: ['/proc/sys'],
    hostname: 'berth-test',
    env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root'],
    cwd: '/',
    args,
    stdio: [-1, stdoutFd, stdoutFd],
    parentDeathSignal: C.SIGKILL,
  };
}

/** Mount points under `dir` visible in this (the test's) mount namespace. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(dir));
}
