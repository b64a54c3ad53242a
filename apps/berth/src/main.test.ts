// The bundled binary: built by `pnpm build` (turbo runs it before tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const berth = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BERTH_NO_AUTOSTART: '1', BERTH_HOST: 'unix:///nonexistent/berth-test.sock' },
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
});
