// Test helpers: a temp world for one Supervisor (root, state dir, runtime root, busybox rootfs, a
// unique cgroup parent) and its complete removal, whether the test passed or not.
import { existsSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { defaultSpec, type RuntimeSpec } from '@berth/oci-spec';
import { unmount } from '@berth/overlay';
import { Supervisor, type SupervisorOptions } from './supervisor.js';

export interface TestWorld {
  dir: string;
  rootfs: string;
  cgroupParent: string;
  options: SupervisorOptions;
  open(extra?: Partial<SupervisorOptions>): Promise<Supervisor>;
  spec(args: string[]): RuntimeSpec;
  /** Deletes every task and container of every supervisor opened, then the cgroups and files. */
  cleanup(): Promise<void>;
}

export function uniqueId(prefix = 'berth-sv'): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

function rmCgroupTree(path: string): void {
  if (!existsSync(path)) return;
  for (const e of readdirSync(path, { withFileTypes: true }))
    if (e.isDirectory()) rmCgroupTree(join(path, e.name));
  try {
    rmdirSync(path);
  } catch {
    // busy: a process still in it; the test's own kill should have prevented that
  }
}

export function makeWorld(): TestWorld {
  const dir = mkdtempSync(join(tmpdir(), 'berth-supervisor-test-'));
  const rootfs = join(dir, 'rootfs');
  makeBusyboxRootfs(rootfs);
  const cgroupParent = `/${uniqueId('berth-sv-test')}`;
  const opened: Supervisor[] = [];
  const options: SupervisorOptions = {
    root: join(dir, 'root'),
    stateDir: join(dir, 'state'),
    runtimeRoot: join(dir, 'runtime'),
    cgroupParent,
  };
  return {
    dir,
    rootfs,
    cgroupParent,
    options,
    async open(extra = {}) {
      const sup = await Supervisor.open({ ...options, ...extra });
      opened.push(sup);
      return sup;
    },
    spec(args) {
      const s = defaultSpec();
      s.process!.terminal = false;
      s.process!.args = args;
      s.root = { path: rootfs, readonly: false };
      return s;
    },
    async cleanup() {
      // a fresh supervisor over the same root sees every task, including those of closed ones
      const sup = await Supervisor.open(options).catch(() => undefined);
      if (sup) {
        for (const ns of ['default', 'other']) {
          for (const t of await sup.tasks.list(ns).catch(() => []))
            await sup.tasks.delete(ns, t.id, { force: true }).catch(() => {});
          for (const c of await sup.containers.list(ns).catch(() => []))
            await sup.containers.delete(ns, c.id).catch(() => {});
        }
        await sup.close();
      }
      for (const s of opened) await s.close();
      const state = join(dir, 'state');
      if (existsSync(state))
        for (const ns of readdirSync(state))
          for (const id of readdirSync(join(state, ns))) unmount(join(state, ns, id, 'rootfs'));
      for (const ctrl of readdirSync('/sys/fs/cgroup'))
        rmCgroupTree(join('/sys/fs/cgroup', ctrl, cgroupParent));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a stream to its end. */
export async function readAll(s: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!s) return '';
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
