#!/usr/bin/env node
// The README's test command: build, typecheck, lint and test every package through turbo, then
// add up the vitest JSON reports into one closing line. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    'typecheck',
    'lint',
    'test',
    '--continue',
    '--output-logs=new-only',
    // Kernel tests start real containers; ten packages at once on a 2-core machine slowed some 20-fold.
    '--concurrency=4',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env },
);

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedFiles = [];
const failures = [];
for (const group of ['packages', 'apps', 'native', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  const pkgs = group === 'native' ? [dir] : readdirSync(dir).map((name) => join(dir, name));
  for (const pkg of pkgs) {
    const report = join(pkg, '.vitest-report.json');
    if (!existsSync(report)) continue;
    const data = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += data.numPassedTests ?? 0;
    totals.failed += data.numFailedTests ?? 0;
    totals.skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
    for (const file of data.testResults ?? []) {
      if (file.status !== 'failed') continue;
      const name = file.name.replace(`${root}/`, '');
      failedFiles.push(name);
      // CI keeps only the tail of the log: repeat each failure's message here so the cause is in it.
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        failures.push(`${name} > ${test.fullName}\n${(test.failureMessages ?? []).join('\n').slice(0, 1500)}`);
      }
      if (file.message) failures.push(`${name}\n${String(file.message).slice(0, 1500)}`);
    }
  }
}
for (const failure of failures) console.log(`\n--- ${failure}`);
for (const file of failedFiles) console.log(`failed: ${file}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
const ok = turbo.status === 0 && totals.failed === 0;
process.exit(ok ? 0 : 1);
