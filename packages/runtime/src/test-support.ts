// Test helpers: a busybox bundle in a temp dir and a unique container id containing `berth`.
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec } from './default-spec.js';
import type { Runtime } from './runtime.js';
import type { RuntimeSpec } from './spec.js';

export interface TestBundle {
  dir: string;
  root: string;
  write(spec: RuntimeSpec): void;
  spec(args: string[]): RuntimeSpec;
  remove(): void;
}

export function makeBundle(): TestBundle {
  const dir = mkdtempSync(join(tmpdir(), 'berth-runtime-test-'));
  chmodSync(dir, 0o755); // mkdtemp makes 0700: a mapped root of a user namespace could not reach the rootfs
  makeBusyboxRootfs(join(dir, 'rootfs'));
  return {
    dir,
    root: join(dir, 'state'),
    write(spec) {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
    },
    spec(args) {
      const s = defaultSpec();
      s.process!.terminal = false;
      s.process!.args = args;
      s.root = { path: 'rootfs', readonly: false };
      return s;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function uniqueId(prefix = 'berth-test'): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs `spec` from the bundle to completion with stdout and stderr to a file; returns what it wrote
 * and its exit code. The id goes into `ids` so the test's cleanup deletes the container.
 */
export async function runToCompletion(
  rt: Runtime,
  bundle: TestBundle,
  spec: RuntimeSpec,
  ids: string[],
): Promise<{ out: string; exitCode: number | null }> {
  const id = uniqueId();
  ids.push(id);
  bundle.write(spec);
  const outPath = join(bundle.dir, `${id}.out`);
  const fd = openSync(outPath, 'w');
  try {
    await rt.create(id, { bundle: bundle.dir, stdio: [-1, fd, fd] });
  } finally {
    closeSync(fd);
  }
  await rt.start(id);
  const st = await rt.wait(id);
  return { out: readFileSync(outPath, 'utf8'), exitCode: st.exitCode };
}
