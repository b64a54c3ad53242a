// Where berth-init (init/berth-init.c, built by scripts/build-init.mjs) lives: next to dist/ and
// src/ alike, so the path works from the built package and from tests run on the sources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The absolute path of the static berth-init executable (`run --init`'s PID 1). */
export function initBinaryPath(): string {
  const path = fileURLToPath(new URL('../build/init/berth-init', import.meta.url));
  if (!existsSync(path))
    throw new Error(`berth-init is not built at ${path}: run \`pnpm --filter @berth/native build\``);
  return path;
}
