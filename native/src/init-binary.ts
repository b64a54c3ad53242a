// Where berth-init (init/berth-init.c, built by scripts/build-init.mjs) lives, relative to the
// package root that binding.ts finds (which bundlers keep right).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './binding.js';

/** The absolute path of the static berth-init executable (`run --init`'s PID 1). */
export function initBinaryPath(): string {
  const path = join(packageRoot, 'build', 'init', 'berth-init');
  if (!existsSync(path))
    throw new Error(`berth-init is not built at ${path}: run \`pnpm --filter @berth/native build\``);
  return path;
}
