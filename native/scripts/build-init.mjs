// Builds berth-init (native/init/berth-init.c), the tiny init `run --init` bind-mounts into a
// container as PID 1. Statically linked so it runs in any rootfs, whatever libc (or none) it has.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(pkgDir, 'build', 'init');
mkdirSync(outDir, { recursive: true });
const cc = process.env.CC ?? 'cc';
const args = ['-std=gnu11', '-Os', '-s', '-static', '-Wall', '-Wextra', '-o', join(outDir, 'berth-init')];
const result = spawnSync(cc, [...args, join(pkgDir, 'init', 'berth-init.c')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
