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
  it('a container that exits at once: start() resolves, wait() reports, 200 times over', async () => {
    for (let i = 0; i < 200; i++) {
      const p = await createContainer(basicPlan(rootfs, ['/bin/true'], out));
      const waited = p.wait();
      await p.start();
      expect((await waited).exitCode).toBe(0);
    }
  });
});
