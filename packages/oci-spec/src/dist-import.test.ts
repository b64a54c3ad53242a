import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The "done when": a plain Node ESM script can import the built package and validate
// config.json from `runc spec` and the runtime spec's example bundle config.

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const script = `
import { readFileSync } from 'node:fs';
import { parseOrThrow, RuntimeSpec, parseReference, SpecValidationError } from '@berth/oci-spec';
const out = {};
for (const file of ['src/fixtures/runc-spec.json', 'src/fixtures/runc-spec-rootless.json', 'src/fixtures/spec-examples/runtime-config.json']) {
  const spec = parseOrThrow(RuntimeSpec, JSON.parse(readFileSync(file, 'utf8')), file);
  out[file] = spec.process?.args ?? null;
}
try {
  parseOrThrow(RuntimeSpec, { ociVersion: '1.2.1', linux: { resources: { memory: { limit: 'x' } } } }, 'config.json');
} catch (err) {
  out.error = { isSpecError: err instanceof SpecValidationError, code: err.code, message: err.message };
}
out.reference = parseReference('busybox').toString();
process.stdout.write(JSON.stringify(out));
`;

describe('built package', () => {
  it('is importable from a plain Node ESM script and validates runc spec output', () => {
    expect(existsSync(resolve(packageDir, 'dist/index.js')), 'run `pnpm build` first').toBe(true);
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out['src/fixtures/runc-spec.json']).toEqual(['sh']);
    expect(out['src/fixtures/runc-spec-rootless.json']).toEqual(['sh']);
    expect(out['src/fixtures/spec-examples/runtime-config.json']).toEqual(['sh']);
    expect(out.error).toEqual({
      isSpecError: true,
      code: 'EINVALIDSPEC',
      message: 'config.json: linux.resources.memory.limit: expected number, received string',
    });
    expect(out.reference).toBe('docker.io/library/busybox:latest');
  });
});
