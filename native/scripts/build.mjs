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
const args = ['rebuild', '-j', 'max'];
const prefix = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = nodeGyp
  ? spawnSync(process.execPath, [nodeGyp, ...args], { stdio: 'inherit', cwd: pkgDir })
  : spawnSync('node-gyp', args, { stdio: 'inherit', cwd: pkgDir });
process.exit(result.status ?? 1);
