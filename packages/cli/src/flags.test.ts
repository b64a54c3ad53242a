import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { parseFlags } from './flags.js';
import { COMMANDS, findCommand } from './registry.js';

const run = findCommand(COMMANDS, 'run')!;
const ps = findCommand(COMMANDS, 'ps')!;
const parseRun = (argv: string[]) =>
  parseFlags(argv, run.flags, { interspersed: false, command: 'berth run' });

describe('flag parsing (pflag rules)', () => {
  it('combines short booleans: -it, -dit, -itd', () => {
    for (const combo of ['-it', '-ti', '-dit', '-itd']) {
      const p = parseRun([combo, 'busybox', 'sh']);
      expect(p.flags.interactive).toBe(true);
      expect(p.flags.tty).toBe(true);
      expect(p.args).toEqual(['busybox', 'sh']);
    }
    expect(parseRun(['-dit', 'x']).flags.detach).toBe(true);
  });

  it('lets the last short flag of a run take a value: -itp 80, -e=A=1, -eA=1', () => {
    const p = parseRun(['-itp', '8080:80', '-eA=1', '-e', 'B=2', '--env=C=3', 'img']);
    expect(p.flags.publish).toEqual(['8080:80']);
    expect(p.flags.env).toEqual(['A=1', 'B=2', 'C=3']);
  });

  it('stops at the image: the command keeps its own flags', () => {
    const p = parseRun(['--rm', 'busybox', 'ls', '-la', '--rm']);
    expect(p.flags.rm).toBe(true);
    expect(p.args).toEqual(['busybox', 'ls', '-la', '--rm']);
  });

  it('accepts --bool=false and -h as --hostname for run', () => {
    const p = parseRun(['--sig-proxy=false', '-h', 'box', 'img']);
    expect(p.flags['sig-proxy']).toBe(false);
    expect(p.flags.hostname).toBe('box');
  });

  it('intersperses flags and arguments for other commands', () => {
    const p = parseFlags(['-a', '--format', '{{.ID}}', '-q'], ps.flags, {
      interspersed: true,
      command: 'berth ps',
    });
    expect(p.flags).toMatchObject({ all: true, format: '{{.ID}}', quiet: true });
  });

  it('reports unknown flags and missing values as docker does', () => {
    expect(() => parseRun(['--foo', 'x'])).toThrow(new UsageError('unknown flag: --foo', 'berth run'));
    expect(() => parseFlags(['-x'], ps.flags, { interspersed: true, command: 'berth ps' })).toThrow(
      "unknown shorthand flag: 'x' in -x",
    );
    expect(() => parseRun(['--name'])).toThrow('flag needs an argument: --name');
    expect(() => parseFlags(['-n', 'x'], ps.flags, { interspersed: true, command: 'berth ps' })).toThrow(
      'invalid argument "x" for "-n, --last" flag',
    );
  });

  it('gives defaults (ps --last -1, run --restart no, --pull missing)', () => {
    expect(parseFlags([], ps.flags, { interspersed: true, command: 'berth ps' }).flags.last).toBe(-1);
    expect(parseRun(['img']).flags).toMatchObject({ restart: 'no', pull: 'missing', 'sig-proxy': true });
  });
});
