#!/usr/bin/env node
// The README's first command (after bootstrap): build everything, then show what berth can do so far.
// It grows into "run a real container from a locally built image" as the runtime lands.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
run(process.execPath, ['apps/berth/dist/main.js', 'version']);
