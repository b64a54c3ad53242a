import { describe, expect, it } from 'vitest';
import { commandLabel } from './command-label.js';

describe('commandLabel', () => {
  it('names the command after the global flags, values included', () => {
    expect(commandLabel(['run', '--rm', 'busybox', 'true'])).toBe('run');
    expect(commandLabel(['-H', 'unix:///x.sock', 'ps', '-a'])).toBe('ps');
    expect(commandLabel(['--host=unix:///x.sock', '--tls', 'images'])).toBe('images');
    expect(commandLabel(['-l', 'debug', '--context', 'default', 'pull', 'alpine'])).toBe('pull');
  });

  it('keeps the subcommand of a management command', () => {
    expect(commandLabel(['network', 'ls'])).toBe('network-ls');
    expect(commandLabel(['container', 'run', 'busybox'])).toBe('container-run');
    expect(commandLabel(['volume'])).toBe('volume');
  });

  it('says main without a command and other for what is no command name', () => {
    expect(commandLabel([])).toBe('main');
    expect(commandLabel(['--help'])).toBe('main');
    expect(commandLabel(['-v'])).toBe('main');
    expect(commandLabel(['../../etc'])).toBe('other');
    expect(commandLabel(['--', 'run'])).toBe('other');
  });
});
