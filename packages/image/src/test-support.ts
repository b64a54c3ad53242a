// Helpers for this package's tests (not exported from index.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from '@berth/content';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { OverlaySnapshotter, unmount } from '@berth/overlay';
import type { RegistryClientOptions } from '@berth/registry';
import { ImageStore } from './image-store.js';

export interface TestStore {
  dir: string;
  content: ContentStore;
  snapshotter: OverlaySnapshotter;
  images: ImageStore;
  /** Closes the snapshotter and removes every file of the store. */
  close(): void;
}

/** A fresh content store + overlay snapshotter + image store under a temp dir. */
export async function makeStore(registry?: RegistryClientOptions): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-image-'));
  const content = await ContentStore.open(join(dir, 'content'));
  const snapshotter = new OverlaySnapshotter(join(dir, 'snapshots'));
  const images = await ImageStore.open({
    root: join(dir, 'images'),
    content,
    snapshotter,
    registry: { credentials: async () => undefined, ...registry },
  });
  return {
    dir,
    content,
    snapshotter,
    images,
    close() {
      snapshotter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let busyboxTar: Buffer | undefined;

/** The busybox fixture rootfs as an uncompressed tar (made once per test file). */
export function busyboxRootfsTar(): Buffer {
  if (busyboxTar) return busyboxTar;
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-rootfs-'));
  try {
    makeBusyboxRootfs(join(dir, 'rootfs'));
    busyboxTar = execFileSync('tar', ['-C', join(dir, 'rootfs'), '--numeric-owner', '-cf', '-', '.'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return busyboxTar;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function streamOf(bytes: Buffer): Readable {
  return Readable.from([bytes]);
}

/** A temp dir removed (after unmounting anything left mounted under it) by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `berth-test-${prefix}-`));
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    remove() {
      try {
        unmount(dir);
      } catch {
        // Not a mount point.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}
