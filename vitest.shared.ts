// Shared vitest settings: every package's vitest.config.ts re-exports this, so all packages
// print the same summary and leave a JSON report that tools/scripts/test-all.mjs adds up.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Kernel tests (unshare, mounts, clone) need a process per test file, not a worker thread.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
