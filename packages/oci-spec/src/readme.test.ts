import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's first block must stay runnable: run it against the built package.

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('first code block runs against the built package', () => {
    const readme = readFileSync(resolve(packageDir, 'README.md'), 'utf8');
    const block = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', block ?? ''], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('docker.io/library/busybox:latest');
    expect(result.stdout).toContain(
      'EINVALIDSPEC config.json: linux.resources.memory.limit: expected number, received string',
    );
  });
});
