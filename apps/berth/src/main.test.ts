// The bundled binary: built by `pnpm build` (turbo runs it before tests).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
// the code cache goes to a temp dir, not $HOME/.cache/berth
const tmp = mkdtempSync(join(tmpdir(), 'berth-main-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const berth = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      BERTH_NO_AUTOSTART: '1',
      BERTH_HOST: 'unix:///nonexistent/berth-test.sock',
      BERTH_COMPILE_CACHE: join(tmp, 'cache'),
      ...env,
    },
  });

describe('berth (bundled)', () => {
  it('prints docker-style help', () => {
    const r = berth(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage:  berth [OPTIONS] COMMAND');
    expect(r.stdout).toMatch(/ {2}run +Create and run a new container from an image/);
    const run = berth(['run', '--help']);
    expect(run.stdout).toContain('Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]');
    expect(run.stdout).toContain('  -p, --publish list');
  });

  it('exits 1 on a missing argument and 125 on an unknown flag, as docker does', () => {
    const missing = berth(['run']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("berth: 'berth run' requires at least 1 argument");
    const unknown = berth(['ps', '--bogus']);
    expect(unknown.status).toBe(125);
    expect(unknown.stderr).toContain('unknown flag: --bogus');
  });

  it('prints the client version, then says the daemon is unreachable', () => {
    const r = berth(['version']);
    expect(r.stdout).toContain('Client:');
    expect(r.stdout).toContain('API version:       1.50');
    expect(r.stderr).toContain('Cannot connect to the berth daemon at unix:///nonexistent/berth-test.sock');
    expect(r.status).toBe(1);
  });

  it('writes V8 code cache on the first start and runs from it afterwards; a refused cache is replaced', () => {
    const cacheDir = join(tmp, 'cache-reuse');
    const files = () => readdirSync(cacheDir).filter((n) => n.endsWith('.v8cache'));
    const first = berth(['--help'], { BERTH_COMPILE_CACHE: cacheDir });
    expect(first.status).toBe(0);
    expect(files()).toHaveLength(1);
    const file = join(cacheDir, files()[0]!);
    const ino = statSync(file).ino;
    const second = berth(['--help'], { BERTH_COMPILE_CACHE: cacheDir });
    expect(second.stdout).toBe(first.stdout);
    // V8 took it in a new process: nothing was rewritten (a rewrite renames a new file into place)
    expect(statSync(file).ino).toBe(ino);
    // a file of ours that V8 refuses (as after a Node upgrade with the same version string) is replaced
    const data = readFileSync(file);
    const payload = Buffer.alloc(64, 7);
    const sum = createHash('sha1').update(payload).digest();
    writeFileSync(file, Buffer.concat([data.subarray(0, 28), sum, payload]));
    const third = berth(['--help'], { BERTH_COMPILE_CACHE: cacheDir });
    expect(third.stdout).toBe(first.stdout);
    expect(statSync(file).ino).not.toBe(ino);
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  it('writes no cache when BERTH_DISABLE_COMPILE_CACHE=1', () => {
    const cacheDir = join(tmp, 'cache-off');
    const r = berth(['--help'], { BERTH_COMPILE_CACHE: cacheDir, BERTH_DISABLE_COMPILE_CACHE: '1' });
    expect(r.status).toBe(0);
    expect(() => readdirSync(cacheDir)).toThrow();
  });
});
