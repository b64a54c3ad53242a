import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicPlan, makeRootfs } from '../test/helpers.js';
import { createContainer } from './index.js';

// A supervisor starts a container and waits for it at the same time; a process that exits right
// after exec must not make wait() close the sync socket under start()'s pending read (EBADF, or a
// libuv poll left on a closed and reused fd number).
let dir: string;
let rootfs: string;
let out: number;

beforeEach(() => {
  ({ dir, rootfs } = makeRootfs());
  out = openSync(join(dir, 'out'), 'w+');
});
afterEach(() => {
  closeSync(out);
  rmSync(dir, { recursive: true, force: true });
});

describe('engine: start and wait at the same time', () => {
  // Many rounds to catch the race; on a loaded CI machine they may take far longer than the default 30 s.
  it('a container that exits at once: start() resolves, wait() reports, 100 times over', {
    timeout: 180_000,
  }, async () => {
    for (let i = 0; i < 100; i++) {
      const p = await createContainer(basicPlan(rootfs, ['/bin/true'], out));
      const waited = p.wait();
      await p.start();
      expect((await waited).exitCode).toBe(0);
    }
  });
});
