import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

const pkg = new URL('../..', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

it('the committed message types are what proto-loader-gen-types makes of proto/supervisor.proto today', () => {
  const out = mkdtempSync(join(tmpdir(), 'berth-proto-gen-'));
  try {
    const args = packageJson.scripts['gen:proto']
      .split(' ')
      .slice(1)
      .map((a) => (a === '--outDir=src/grpc/generated' ? `--outDir=${out}` : a));
    execFileSync(join(pkg, 'node_modules/.bin/proto-loader-gen-types'), args, { cwd: pkg, stdio: 'pipe' });
    const committed = join(pkg, 'src/grpc/generated');
    expect(files(out)).toEqual(files(committed));
    for (const f of files(out))
      expect(readFileSync(join(committed, f), 'utf8'), `${f} (run pnpm gen:proto)`).toBe(
        readFileSync(join(out, f), 'utf8'),
      );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
