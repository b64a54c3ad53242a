#!/usr/bin/env node
// The README's first command (after bootstrap): build everything, make a busybox image locally
// (Debian's busybox-static laid out as a rootfs by @berth/fixtures, imported as `busybox:latest`;
// no network), then run it the way a user would: `berth run --rm busybox echo hello from berth`.
// `berth` starts berthd in the background when no daemon answers (root, default socket), as the
// CLI does for any user; the daemon keeps running afterwards, like dockerd.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const berth = join(root, 'apps/berth/dist/main.js');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    ...opts,
  });
  return r.status ?? 1;
};
const step = (title, args) => {
  console.log(`\n$ berth ${args.join(' ')}${title ? `   # ${title}` : ''}`);
  const status = run(process.execPath, [berth, ...args]);
  if (status !== 0) process.exit(status);
};

if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) process.exit(1);

const { makeBusyboxRootfs } = await import(join(root, 'tools/fixtures/dist/index.js'));
const work = mkdtempSync(join(tmpdir(), 'berth-demo-'));
try {
  makeBusyboxRootfs(join(work, 'rootfs'));
  // the tarball `berth import` reads (GNU tar here only packs the demo's input)
  if (run('tar', ['-C', join(work, 'rootfs'), '-cf', join(work, 'busybox.tar'), '.']) !== 0) process.exit(1);
  step('starts berthd if none runs', ['version']);
  step('a one-layer image from a rootfs tarball', [
    'import',
    '--change',
    'CMD ["sh"]',
    join(work, 'busybox.tar'),
    'busybox:latest',
  ]);
  step('', ['images', 'busybox']);
  step('a real container: namespaces, cgroup, overlay rootfs', [
    'run',
    '--rm',
    'busybox',
    'echo',
    'hello from berth',
  ]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
