// Daemon address resolution and starting berthd when nothing answers (root, default socket).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, findBerthd } from '../src/connect.js';
import { resolveHost } from '../src/main.js';
import { displayProgress, progressBar } from '../src/output/progress.js';
import { humanSize } from '../src/output/units.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-cli-connect-'));
});
afterEach(() => {
  const pidFile = join(dir, 'fake.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('daemon address', () => {
  it('prefers -H, then BERTH_HOST, then DOCKER_HOST, then the default socket', () => {
    const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'tcp://d:2375' };
    expect(resolveHost(['unix:///h.sock'], env)).toEqual({ host: 'unix:///h.sock', isDefault: false });
    expect(resolveHost([], env)).toEqual({ host: 'unix:///b.sock', isDefault: false });
    expect(resolveHost([], { DOCKER_HOST: 'tcp://d:2375' })).toEqual({
      host: 'tcp://d:2375',
      isDefault: false,
    });
    expect(resolveHost([], {})).toEqual({ host: 'unix:///run/berth/berth.sock', isDefault: true });
    expect(() => resolveHost(['a', 'b'], {})).toThrow('Please specify only one -H');
  });
});

describe('starting berthd', () => {
  const fakeBerthd = () => {
    const script = join(dir, 'berthd');
    writeFileSync(
      script,
      `#!${process.execPath}
const http = require('node:http');
const fs = require('node:fs');
fs.writeFileSync(process.env.FAKE_PID, String(process.pid));
console.log('fake berthd starting');
// answer only after a moment, so the CLI has to wait for /_ping
setTimeout(() => {
  http.createServer((req, res) => { res.writeHead(200, { 'Api-Version': '1.50' }); res.end('OK'); })
    .listen(process.env.FAKE_SOCK);
}, 300);
`,
    );
    chmodSync(script, 0o755);
    return script;
  };

  it('finds berthd from BERTHD_PATH', () => {
    expect(findBerthd({ BERTHD_PATH: '/opt/berthd' })).toEqual({ command: '/opt/berthd', args: [] });
  });

  it.skipIf(process.getuid?.() !== 0)(
    'starts it in the background, logs to <exec-root>/berthd.log, waits for /_ping',
    async () => {
      const sock = join(dir, 'berth.sock');
      const env = {
        PATH: process.env.PATH,
        BERTHD_PATH: fakeBerthd(),
        BERTH_EXEC_ROOT: join(dir, 'exec'),
        FAKE_SOCK: sock,
        FAKE_PID: join(dir, 'fake.pid'),
      };
      const client = await connect({
        host: `unix://${sock}`,
        isDefault: true,
        env,
        autostart: true,
        tls: false,
        tlsVerify: false,
        tlsFiles: {},
      });
      expect((await client.ping()).apiVersion).toBe('1.50');
      client.close();
      expect(readFileSync(join(dir, 'exec', 'berthd.log'), 'utf8')).toContain('fake berthd starting');
    },
  );

  it('does not start anything for a host the user named', async () => {
    const sock = join(dir, 'berth.sock');
    const client = await connect({
      host: `unix://${sock}`,
      isDefault: false,
      env: { BERTHD_PATH: fakeBerthd(), FAKE_SOCK: sock, FAKE_PID: join(dir, 'fake.pid') },
      autostart: true,
      tls: false,
      tlsVerify: false,
      tlsFiles: {},
    });
    await expect(client.ping()).rejects.toThrow(`Cannot connect to the berth daemon at unix://${sock}`);
    expect(existsSync(join(dir, 'fake.pid'))).toBe(false);
    client.close();
  });
});

describe('progress display', () => {
  it('draws docker-style bars', () => {
    expect(progressBar(50, 100, 90)).toBe(
      `[========================>                         ] ${`${humanSize(50)}/${humanSize(100)}`.padStart(18)}`,
    );
    expect(progressBar(5, 0, 90)).toBe('5B');
  });

  it('on a terminal keeps one line per layer and redraws it in place', async () => {
    let text = '';
    const out = Object.assign(
      new (await import('node:stream')).Writable({
        write(c, _e, cb) {
          text += c.toString();
          cb();
        },
      }),
      { isTTY: true, columns: 60 },
    );
    async function* msgs() {
      yield { status: 'Pulling from library/busybox', id: 'latest' };
      yield { status: 'Pulling fs layer', id: 'l1' };
      yield { status: 'Pulling fs layer', id: 'l2' };
      yield { status: 'Downloading', id: 'l1', progressDetail: { current: 10, total: 20 } };
      yield { status: 'Pull complete', id: 'l1' };
    }
    await displayProgress(msgs(), { out });
    expect(text).toBe(
      'latest: Pulling from library/busybox\n' +
        'l1: Pulling fs layer\x1b[K\n' +
        'l2: Pulling fs layer\x1b[K\n' +
        `\x1b[2A\rl1: Downloading ${progressBar(10, 20, 60)}\x1b[K\x1b[2B\r` +
        '\x1b[2A\rl1: Pull complete\x1b[K\x1b[2B\r',
    );
  });
});
