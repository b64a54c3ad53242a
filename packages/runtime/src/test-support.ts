// Test helpers: a busybox bundle in a temp dir and a unique container id containing `berth`.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec } from './default-spec.js';
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
