// Test helpers: a temp root with a content store, an overlay snapshotter and an image store holding
// the busybox fixture as `busybox:latest`; running a built image; packing a directory as a tar.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ContentStore } from '@berth/content';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { ImageStore } from '@berth/image';
import { mountAll, OverlaySnapshotter, unmount } from '@berth/overlay';
import tar from 'tar-stream';
import { Builder } from './builder.js';
import type { BuildEvent } from './events.js';
import { resolveUser } from './users.js';

/** A tar stream of a directory's tree (names relative to it). */
export function packDir(dir: string): Readable {
  const pack = tar.pack();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      const base = { name: r, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
      if (st.isDirectory()) {
        pack.entry({ ...base, type: 'directory' });
        walk(r);
      } else if (st.isSymbolicLink())
        pack.entry({ ...base, type: 'symlink', linkname: readlinkSync(join(dir, r)) });
      else if (st.isFile()) pack.entry({ ...base, type: 'file' }, readFileSync(join(dir, r)));
    }
  };
  walk('');
  pack.finalize();
  return pack as unknown as Readable;
}

export interface TestEnv {
  root: string;
  store: ImageStore;
  snapshotter: OverlaySnapshotter;
  builder: Builder;
  /** a fresh context directory with these files */
  context(files: Record<string, string>): string;
  /** calls `fn` with the image's files mounted read-only at a temp dir */
  inspect<T>(imageId: string, fn: (rootfs: string) => T): Promise<T>;
  /** runs `args` in a container of the image (its env, user, workdir) and returns the output */
  run(imageId: string, args: string[]): Promise<{ output: string; exitCode: number }>;
  close(): Promise<void>;
}

function mountsUnder(root: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(`${root}/`));
}

export async function makeTestEnv(): Promise<TestEnv> {
  const root = mkdtempSync(join(tmpdir(), 'berth-builder-test-'));
  chmodSync(root, 0o755);
  let snapshotter: OverlaySnapshotter | undefined;
  let store: ImageStore;
  try {
    const content = await ContentStore.open(join(root, 'content'));
    snapshotter = new OverlaySnapshotter(join(root, 'snapshots'));
    store = await ImageStore.open({ root: join(root, 'images'), content, snapshotter });
    const rootfs = join(root, 'busybox-rootfs');
    makeBusyboxRootfs(rootfs);
    await store.importRootfs(packDir(rootfs), { ref: 'busybox:latest' });
    rmSync(rootfs, { recursive: true, force: true });
  } catch (err) {
    // a setup that failed half-way leaves nothing behind either
    snapshotter?.close();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const builder = new Builder({
    images: store,
    root: join(root, 'builder'),
    runtimeRoot: join(root, 'runtime'),
  });
  let contexts = 0;
  return {
    root,
    store,
    snapshotter,
    builder,
    context(files) {
      const dir = join(root, `context-${contexts++}`);
      for (const [name, text] of Object.entries(files)) {
        const path = join(dir, name);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, text);
      }
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    async inspect(imageId, fn) {
      const key = `berth-builder-test-view-${randomBytes(6).toString('hex')}`;
      const mounts = await store.prepareRootfs(imageId, key, { readonly: true });
      const mnt = join(root, key);
      mkdirSync(mnt);
      try {
        mountAll(mounts, mnt);
        try {
          return fn(mnt);
        } finally {
          unmount(mnt);
        }
      } finally {
        rmdirSync(mnt);
        snapshotter.remove(key);
      }
    },
    async run(imageId, args) {
      const image = await store.get(imageId);
      if (!image) throw new Error(`no image ${imageId}`);
      const key = `berth-builder-test-run-${randomBytes(6).toString('hex')}`;
      const mounts = await store.prepareRootfs(imageId, key);
      const mnt = join(root, key);
      mkdirSync(mnt);
      let output = '';
      try {
        mountAll(mounts, mnt);
        try {
          const cfg = image.config.config ?? {};
          const result = await builder.runner.run({
            id: key,
            rootfs: mnt,
            args,
            env: cfg.Env ?? ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
            cwd: cfg.WorkingDir || '/',
            user: resolveUser(mnt, cfg.User),
            network: 'none',
            hostname: 'berth-test',
            onOutput: (c) => {
              output += c.toString('utf8');
            },
          });
          return { output, exitCode: result.exitCode };
        } finally {
          unmount(mnt);
        }
      } finally {
        rmdirSync(mnt);
        snapshotter.remove(key);
      }
    },
    async close() {
      for (const m of mountsUnder(root).reverse()) {
        try {
          unmount(m);
        } catch {
          // already gone
        }
      }
      snapshotter.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Collects events; `text()` is what Docker's CLI would print. */
export function eventLog(): {
  events: BuildEvent[];
  on: (e: BuildEvent) => void;
  count: (type: BuildEvent['type']) => number;
} {
  const events: BuildEvent[] = [];
  return { events, on: (e) => events.push(e), count: (type) => events.filter((e) => e.type === type).length };
}
