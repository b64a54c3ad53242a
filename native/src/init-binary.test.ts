import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constants as C, spawnContainer } from './index.js';
import { initBinaryPath } from './init-binary.js';

// berth-init runs as PID 1 of a fresh pid namespace (the host's / as rootfs), as `run --init` does.
async function runUnderInit(script: string, opts: { signalWhenReady?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-init-'));
  try {
    const child = await spawnContainer({
      cloneFlags: C.CLONE_NEWPID | C.CLONE_NEWNS,
      args: [initBinaryPath(), '--', '/bin/sh', '-c', script],
      env: ['PATH=/usr/bin:/bin'],
      cwd: dir,
    });
    if (opts.signalWhenReady) {
      // Signal only once the script has written `ready` (in its cwd): berth-init blocks signals
      // before it forks, so by then a SIGTERM is queued for it. A SIGTERM that came earlier (a
      // fixed delay on a loaded machine) hit PID 1 with the default action and was dropped, and
      // the test hung on `sleep 30`.
      const until = Date.now() + 20_000;
      while (!existsSync(join(dir, 'ready')) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      child.kill(C.SIGTERM as number);
    }
    return await child.wait();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('berth-init', () => {
  it('exits with its child exit code', async () => {
    expect((await runUnderInit('exit 7')).exitCode).toBe(7);
  });

  it('reports a child killed by a signal as 128 + signal', async () => {
    expect((await runUnderInit('kill -KILL $$')).exitCode).toBe(128 + 9);
  });

  it('forwards SIGTERM sent to PID 1 to its child', async () => {
    // sh is not PID 1 under berth-init, so SIGTERM's default action applies to it
    const status = await runUnderInit('touch ready; sleep 30', { signalWhenReady: true });
    expect(status.exitCode).toBe(128 + 15);
  });

  it('reaps orphans and is not held up by them when the main process exits', async () => {
    const status = await runUnderInit('(sleep 30 &) ; sleep 0.1; exit 4');
    expect(status.exitCode).toBe(4);
  });
});
