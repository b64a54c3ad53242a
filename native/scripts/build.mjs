// Compiles the addon with node-gyp against the running Node's own headers (<prefix>/include/node),
// so nothing is downloaded: pnpm >= 11 no longer passes .npmrc's nodedir to scripts, and plain
// `node-gyp rebuild` would try to fetch a headers tarball from nodejs.org.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let nodeGyp;
try {
  nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  // During the very first `pnpm install` devDependencies are linked before this script runs; this is a
  // fallback for installs without devDependencies (pnpm bundles node-gyp on PATH for scripts).
  nodeGyp = null;
}
// Once configured, build incrementally: `rebuild` starts by deleting build/, so every `pnpm install`
// in the workspace would remove the addon under the feet of running processes and tests (and
// rewrite a mapped .node). make recompiles only what changed and replaces the .node by a new link.
const configured =
  existsSync(join(pkgDir, 'build', 'Makefile')) && existsSync(join(pkgDir, 'build', 'config.gypi'));
const args = [configured ? 'build' : 'rebuild', '-j', 'max'];
const prefix = resolve(dirname(process.execPath), '..');
if (!configured && !process.env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, ...args], { stdio: 'inherit', cwd: pkgDir })
  : spawnSync('node-gyp', args, { stdio: 'inherit', cwd: pkgDir });
if (result.status !== 0) process.exit(result.status ?? 1);
// The shim (a plain C executable linked with the engine's static library) goes into build/shim
// after node-gyp, whose `rebuild` starts by removing build/.
if (!existsSync(join(pkgDir, 'shim', 'Makefile'))) process.exit(0);
const shim = spawnSync('make', ['-s', '-C', join(pkgDir, 'shim'), `OUT=${join(pkgDir, 'build', 'shim')}`], {
  stdio: 'inherit',
});
process.exit(shim.status ?? 1);
