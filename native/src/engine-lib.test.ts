import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the init engine builds as a standalone C library without Node headers (for the shim)', () => {
  const engineDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'engine');
  const out = mkdtempSync(join(tmpdir(), 'berth-test-engine-lib-'));
  try {
    execFileSync(
      'make',
      [
        '-s',
        '-C',
        engineDir,
        `OUT=${out}`,
        'CFLAGS=-std=gnu11 -O2 -Wall -Werror -Wno-unused-parameter -D_GNU_SOURCE',
      ],
      {
        stdio: 'pipe',
      },
    );
    expect(existsSync(join(out, 'libberth-engine.a'))).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
