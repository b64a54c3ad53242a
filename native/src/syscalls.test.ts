import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  constants as C,
  eventfd,
  lgetxattr,
  llistxattr,
  lremovexattr,
  lsetxattr,
  mknod,
  mount,
  openpty,
  pidfdOpen,
  pidfdSendSignal,
  recvFds,
  SyscallError,
  sendFds,
  socketpair,
  umount2,
  waitpid,
  waitReadable,
} from './index.js';

let dir: string;
let mounted = false;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-native-'));
});
afterEach(() => {
  if (mounted) umount2(dir, C.MNT_DETACH);
  mounted = false;
  rmSync(dir, { recursive: true, force: true });
});

describe('mount family', () => {
  it('mounts a tmpfs with data, creates a device node, unmounts', () => {
    mount('tmpfs', dir, 'tmpfs', C.MS_NOSUID, 'size=1m,mode=755');
    mounted = true;
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    mknod(join(dir, 'null'), C.S_IFCHR | 0o666, 1, 3);
    const st = statSync(join(dir, 'null'));
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe((1 << 8) | 3);
    umount2(dir, 0);
    mounted = false;
  });

  it('throws SyscallError with errno name, syscall and paths', () => {
    let err: unknown;
    try {
      mount('/nonexistent-berth-src', join(dir, 'missing'), null, C.MS_BIND);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SyscallError);
    const e = err as SyscallError;
    expect(e.code).toBe('ENOENT');
    expect(e.errno).toBe(2);
    expect(e.syscall).toBe('mount');
    expect(e.path).toBe('/nonexistent-berth-src');
    expect(e.dest).toBe(join(dir, 'missing'));
    expect(e.message).toMatch(
      /^mount\(\/nonexistent-berth-src -> .*\): ENOENT \(No such file or directory\)$/,
    );
  });
});

describe('xattr', () => {
  it('sets, reads, lists and removes trusted.* attributes without following symlinks', () => {
    mount('tmpfs', dir, 'tmpfs', 0, 'size=1m');
    mounted = true;
    const f = join(dir, 'f');
    writeFileSync(f, '');
    expect(lgetxattr(f, 'trusted.berth')).toBeNull();
    lsetxattr(f, 'trusted.berth', Buffer.from('y'));
    expect(lgetxattr(f, 'trusted.berth')?.toString()).toBe('y');
    expect(llistxattr(f)).toContain('trusted.berth');
    lremovexattr(f, 'trusted.berth');
    expect(llistxattr(f)).not.toContain('trusted.berth');
    expect(() => lsetxattr(f, 'trusted.berth', Buffer.from('z'), C.XATTR_REPLACE)).toThrow(/ENODATA/);
  });
});

describe('waiting without blocking the event loop', () => {
  it('waitReadable resolves when an eventfd is written', async () => {
    const fd = eventfd(0, C.EFD_CLOEXEC | C.EFD_NONBLOCK);
    try {
      const p = waitReadable(fd);
      const one = Buffer.alloc(8);
      one.writeBigUInt64LE(1n);
      setImmediate(() => writeSync(fd, one));
      await p;
    } finally {
      closeSync(fd);
    }
  });

  it('a pidfd becomes readable when the process exits; pidfdSendSignal kills it', async () => {
    const child = spawn('/bin/sleep', ['100'], { stdio: 'ignore' });
    const pid = child.pid!;
    const exited = new Promise((r) => child.on('exit', r));
    const pidfd = pidfdOpen(pid);
    try {
      pidfdSendSignal(pidfd, C.SIGTERM);
      await waitReadable(pidfd);
      await exited;
    } finally {
      closeSync(pidfd);
    }
    expect(() => waitpid(999999999, C.WNOHANG)).toThrow(SyscallError);
  });
});

describe('pty and fd passing', () => {
  it('passes a pty master over a unix socket with SCM_RIGHTS', async () => {
    const pty = openpty();
    const [a, b] = socketpair();
    try {
      expect(pty.path).toMatch(/^\/dev\/pts\/\d+$/);
      sendFds(a!, [pty.master], Buffer.from('console'));
      await waitReadable(b!);
      const got = recvFds(b!, 4, 64);
      expect(got.data.toString()).toBe('console');
      expect(got.fds).toHaveLength(1);
      writeSync(pty.slave, 'hello\n');
      const buf = Buffer.alloc(64);
      const n = readSync(got.fds[0]!, buf);
      expect(buf.toString('utf8', 0, n)).toContain('hello');
      closeSync(got.fds[0]!);
    } finally {
      for (const fd of [pty.master, pty.slave, a!, b!]) closeSync(fd);
    }
  });
});

describe('constants', () => {
  it('exports every name of ConstantName as a number', () => {
    for (const [name, value] of Object.entries(C)) expect(typeof value, name).toBe('number');
    expect(C.CLONE_NEWNET).toBe(0x40000000);
    expect(C.MS_BIND).toBe(4096);
  });
});
