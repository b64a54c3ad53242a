#!/usr/bin/env node
// The README's first command (after bootstrap): build everything, then run a real container with
// berth-runtime from a busybox rootfs made locally (Debian's busybox-static, no network).
// It grows into `berth run --rm <image> echo hello from berth` once the image store and daemon land.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    ...opts,
  });
  return r.status ?? 1;
};
if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) process.exit(1);
run(process.execPath, ['apps/berth/dist/main.js', 'version']);

const { makeBusyboxRootfs } = await import(join(root, 'tools/fixtures/dist/index.js'));
const { defaultSpec } = await import(join(root, 'packages/oci-spec/dist/index.js'));
const runtime = join(root, 'apps/berth-runtime/dist/main.js');
const bundle = mkdtempSync(join(tmpdir(), 'berth-demo-'));
const id = `berth-demo-${process.pid}`;
let status = 1;
try {
  makeBusyboxRootfs(join(bundle, 'rootfs'));
  const spec = defaultSpec();
  spec.process.terminal = false;
  spec.process.args = [
    'sh',
    '-c',
    'echo "hello from berth: pid $$ in $(hostname), $(ls /proc | grep -c "^[0-9]") processes"',
  ];
  spec.hostname = 'berth-demo';
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
  console.log(`$ berth-runtime run --bundle ${bundle} ${id}`);
  status = run(process.execPath, [runtime, 'run', '--bundle', bundle, id]);
} finally {
  spawnSync(process.execPath, [runtime, 'delete', '--force', id], { stdio: 'ignore' });
  rmSync(bundle, { recursive: true, force: true });
}
process.exit(status);
