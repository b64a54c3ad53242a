// Test helpers: a busybox bundle, a Runtime on a temp root and shim directories, all removed by
// cleanup() even when a test fails (shims are shut down, which kills and reaps their containers).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec, Runtime, type RuntimeSpec } from '@berth/runtime';
import { connectShim } from './launch.js';

export interface TestEnv {
  dir: string;
  bundle: string;
  rt: Runtime;
  /** a unique container id containing `berth` */
  id(): string;
  /** a shim directory for `id` */
  shimDir(id: string): string;
  spec(args: string[], terminal?: boolean): RuntimeSpec;
  writeSpec(spec: RuntimeSpec): void;
  /** runs at cleanup, after the shims are gone (e.g. `runc delete --force` for a runtime-mode test) */
  onCleanup(fn: () => void): void;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie still answers kill(0)
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

export async function waitGone(pid: number): Promise<void> {
  for (let delay = 1; isAlive(pid); delay = Math.min(delay * 2, 50)) await sleep(delay);
}

export function makeEnv(): TestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'berth-shim-test-'));
  chmodSync(dir, 0o755);
  const bundle = join(dir, 'bundle');
  makeBusyboxRootfs(join(bundle, 'rootfs'));
  const rt = new Runtime({ root: join(dir, 'state') });
  const ids: string[] = [];
  const extra: (() => void)[] = [];
  return {
    dir,
    bundle,
    rt,
    id() {
      const id = `berth-shim-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
      ids.push(id);
      return id;
    },
    shimDir: (id) => join(dir, 'shims', id.slice(-6)),
    spec(args, terminal = false) {
      const s = defaultSpec();
      s.process!.terminal = terminal;
      s.process!.args = args;
      s.root = { path: 'rootfs', readonly: false };
      return s;
    },
    writeSpec(spec) {
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    },
    onCleanup(fn) {
      extra.push(fn);
    },
    async cleanup() {
      for (const id of ids) {
        const shimDir = join(dir, 'shims', id.slice(-6));
        if (existsSync(join(shimDir, 'shim.sock'))) {
          try {
            const c = await connectShim(shimDir);
            await c.shutdown();
            await waitGone(c.shimPid);
          } catch {
            // a shim that does not answer: SIGTERM makes it kill its container and exit
            try {
              const pid = Number(readFileSync(join(shimDir, 'shim.pid'), 'utf8'));
              process.kill(pid, 'SIGTERM');
              await waitGone(pid);
            } catch {}
          }
        }
        try {
          await rt.delete(id, { force: true });
        } catch (e) {
          if ((e as { code?: string }).code !== 'ENOTFOUND') throw e;
        }
      }
      for (const fn of extra) {
        try {
          fn();
        } catch {}
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
