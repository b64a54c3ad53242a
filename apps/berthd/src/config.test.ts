import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from './cli.js';
import { parseHost, resolveConfig } from './config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-berthd-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (json: unknown) => {
  const p = join(dir, 'daemon.json');
  writeFileSync(p, JSON.stringify(json));
  return p;
};

describe('berthd configuration (dockerd flags and daemon.json)', () => {
  it('defaults: /var/lib/berth, /run/berth, the socket and pid file under the exec root, shim backend', () => {
    const cfg = resolveConfig({ configFile: file({}) });
    expect(cfg).toMatchObject({
      dataRoot: '/var/lib/berth',
      execRoot: '/run/berth',
      hosts: ['unix:///run/berth/berth.sock'],
      pidfile: '/run/berth/berthd.pid',
      cgroupParent: '/berth',
      logLevel: 'info',
      supervisorBackend: 'shim',
    });
  });

  it('flags: repeatable -H, mirrors and insecure registries; --exec-root moves the default socket', () => {
    const { flags } = parseArgs([
      '-H',
      'unix:///tmp/a.sock',
      '-H',
      'tcp://127.0.0.1:2375',
      '--exec-root',
      '/tmp/x',
      '--registry-mirror',
      'http://m1',
      '--insecure-registry',
      'r:5000',
      '--log-level',
      'debug',
      '--config-file',
      file({}),
    ]);
    const cfg = resolveConfig(flags);
    expect(cfg.hosts).toEqual(['unix:///tmp/a.sock', 'tcp://127.0.0.1:2375']);
    expect(cfg.registryMirrors).toEqual(['http://m1']);
    expect(cfg.insecureRegistries).toEqual(['r:5000']);
    expect(cfg.pidfile).toBe('/tmp/x/berthd.pid');
    expect(cfg.logLevel).toBe('debug');
    expect(parseHost('tcp://0.0.0.0:2376')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 2376 });
  });

  it('daemon.json keys apply; a setting in both places, unknown keys and bad values are refused', () => {
    const cfg = resolveConfig({
      configFile: file({ 'data-root': '/srv/berth', 'registry-mirrors': ['http://m'] }),
    });
    expect(cfg.dataRoot).toBe('/srv/berth');
    expect(cfg.registryMirrors).toEqual(['http://m']);
    expect(() => resolveConfig({ dataRoot: '/a', configFile: file({ 'data-root': '/b' }) })).toThrow(
      /specified both as a flag and in the configuration file: data-root/,
    );
    expect(() => resolveConfig({ configFile: file({ 'no-such-key': 1 }) })).toThrow(/no-such-key/);
    expect(() => resolveConfig({ configFile: join(dir, 'missing.json') })).toThrow(/no such file/);
    expect(() => resolveConfig({ configFile: file({}), host: ['udp://x'] })).toThrow(/invalid -H/);
    expect(() => resolveConfig({ configFile: file({}), bip: '10.0.0.1' })).toThrow(/invalid --bip/);
    expect(() => parseArgs(['--no-such-flag'])).toThrow(/unknown flag: --no-such-flag/);
    expect(() => resolveConfig({ configFile: file({}), tlsverify: true, tlscacert: '/ca.pem' })).toThrow(
      /--tlsverify needs/,
    );
    expect(parseHost('fd://')).toEqual({ kind: 'fd' });
    expect(parseHost('fd://5')).toEqual({ kind: 'fd', fd: 5 });
  });
});
