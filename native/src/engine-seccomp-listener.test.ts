import { closeSync, fstatSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicPlan, makeRootfs } from '../test/helpers.js';
import { type ContainerProcess, compileSeccomp, spawnContainer } from './index.js';

// A seccomp filter with a notify listener: the child loads it with SECCOMP_FILTER_FLAG_NEW_LISTENER
// and sends the listener fd to the parent, which hands it to onSeccompListener.
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
  }
  closeSync(out);
  rmSync(dir, { recursive: true, force: true });
});

const notifyMkdir = compileSeccomp({
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_NOTIFY' }],
});

describe('engine: seccomp notify listener', () => {
  for (const noNewPrivileges of [true, false]) {
    it(`hands the listener fd to onSeccompListener (no_new_privs ${noNewPrivileges}: filter loaded ${noNewPrivileges ? 'at start' : 'at create'})`, async () => {
      const received: number[] = [];
      const p = await spawnContainer(
        {
          ...basicPlan(rootfs, ['/bin/sh', '-c', 'mkdir /tmp/x 2>/dev/null; echo rc=$?'], out),
          seccomp: new Uint8Array(notifyMkdir.program),
          seccompFlags: notifyMkdir.flags,
          seccompListener: true,
          noNewPrivileges,
        },
        {
          onSeccompListener: (fd) => {
            // a seccomp listener is an anon inode; closing it makes notified syscalls fail ENOSYS
            expect(fstatSync(fd).isFile()).toBe(false);
            received.push(fd);
            closeSync(fd);
          },
        },
      );
      procs.push(p);
      expect((await p.wait()).exitCode).toBe(0);
      expect(received).toHaveLength(1);
      expect(readFileSync(outPath, 'utf8')).toBe('rc=1\n');
    });
  }
});
