import { closeSync, readSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pipe, SyscallError, spawnProcess, waitpid, waitReadable } from './index.js';

const WNOHANG = 1;

const opened: number[] = [];
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
    try {
      waitpid(pid, 0);
    } catch {}
  }
  for (const fd of opened.splice(0)) {
    try {
      closeSync(fd);
    } catch {}
  }
});

function fdPair(): [number, number] {
  const p = pipe();
  opened.push(...p);
  return p;
}

/** Reads fd to EOF (blocking: the writer is a short-lived child). */
function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  for (;;) {
    const n = readSync(fd, buf);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Closes our copy of a write end, so that the reader sees EOF when the child exits. */
function closeOurs(fd: number): void {
  closeSync(fd);
  opened.splice(opened.indexOf(fd), 1);
}

async function reap(p: { pid: number; pidfd: number }) {
  await waitReadable(p.pidfd);
  closeSync(p.pidfd);
  started.splice(started.indexOf(p.pid), 1);
  return waitpid(p.pid, WNOHANG);
}

describe('spawnProcess', () => {
  it('runs the file with argv, env and exactly the fds given; the exit status comes through the pidfd', async () => {
    const [r, w] = fdPair();
    const p = spawnProcess(
      '/bin/sh',
      ['sh', '-c', 'echo "$0 $BERTH_SPAWN_TEST"; ls /proc/self/fd; read x; echo "stdin:$x"; exit 3', 'arg0'],
      { fds: [null, w, w], env: { BERTH_SPAWN_TEST: 'yes', PATH: '/usr/bin:/bin' } },
    );
    started.push(p.pid);
    closeOurs(w);
    // /proc/self/fd of ls: 0, 1, 2 and its own directory fd; nothing of ours leaked
    expect(readAll(r)).toBe('arg0 yes\n0\n1\n2\n3\nstdin:\n');
    expect(await reap(p)).toEqual({ pid: p.pid, exitCode: 3, signal: null });
  });

  it('setsid: the child leads a new session and process group; signals are at their defaults', async () => {
    const [r, w] = fdPair();
    const p = spawnProcess(
      '/bin/sh',
      ['sh', '-c', 'cat /proc/self/stat; grep -E "^Sig(Blk|Ign)" /proc/self/status'],
      {
        fds: [null, w, null],
        setsid: true,
      },
    );
    started.push(p.pid);
    closeOurs(w);
    const out = readAll(r);
    const stat = out.slice(out.indexOf(')') + 2).split(' ');
    // stat of cat: its parent (sh, the spawned child) leads both the group and the session
    expect([Number(stat[2]), Number(stat[3])]).toEqual([p.pid, p.pid]);
    expect(out).toContain('SigBlk:\t0000000000000000');
    expect(out).toContain('SigIgn:\t0000000000000000');
    expect((await reap(p))?.exitCode).toBe(0);
  });

  it('maps an fd onto a lower number without losing one that is also a source', async () => {
    const [r1, w1] = fdPair();
    const [r2, w2] = fdPair();
    // child fd 1 <- w2, child fd 2 <- w1 (crossed)
    const p = spawnProcess('/bin/sh', ['sh', '-c', 'echo out; echo err >&2'], { fds: [null, w2, w1] });
    started.push(p.pid);
    closeOurs(w1);
    closeOurs(w2);
    expect(readAll(r2)).toBe('out\n');
    expect(readAll(r1)).toBe('err\n');
    await reap(p);
  });

  it('a failure names the step and the errno, and leaves no child behind', () => {
    const missing = '/nonexistent/berth-spawn-test';
    const err = (() => {
      try {
        spawnProcess(missing, ['x']);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ code: 'ENOENT', syscall: 'execve', path: missing });
    expect(() => spawnProcess('/bin/true', ['true'], { fds: [1_000_000] })).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'fcntl' }),
    );
  });
});
