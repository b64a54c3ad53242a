// Where the berth-shim executable is: built by @berth/native's build script into its build/shim.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nativePackageRoot } from '@berth/native';
import { ShimError } from './errors.js';

/** Absolute path of berth-shim (BERTH_SHIM_BINARY overrides it). */
export function shimBinaryPath(): string {
  const path = process.env.BERTH_SHIM_BINARY || join(nativePackageRoot, 'build', 'shim', 'berth-shim');
  if (!existsSync(path))
    throw new ShimError(
      'ELAUNCH',
      `berth-shim is not built at ${path}: run \`pnpm --filter @berth/native build\``,
    );
  return path;
}
