import { describe, expect, it } from 'vitest';
import {
  formatPlatform,
  hostPlatform,
  InvalidPlatformError,
  normalizePlatform,
  parsePlatform,
  platformMatches,
  selectPlatform,
} from './platform.js';

describe('normalizePlatform', () => {
  it.each([
    [
      { os: 'linux', architecture: 'x86_64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'Linux', architecture: 'AMD64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'armel' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '5' },
      { os: 'linux', architecture: 'arm', variant: 'v5' },
    ],
    [
      { os: 'linux', architecture: 'i386' },
      { os: 'linux', architecture: '386' },
    ],
  ])('%j → %j', (input, expected) => {
    expect(normalizePlatform(input)).toEqual(expected);
  });
});

describe('platformMatches', () => {
  const linux = (architecture: string, variant?: string) => ({
    os: 'linux',
    architecture,
    ...(variant ? { variant } : {}),
  });

  it('treats arm64 and arm64/v8 as the same platform, both ways', () => {
    expect(platformMatches(linux('arm64'), linux('arm64', 'v8'))).toBe(true);
    expect(platformMatches(linux('arm64', 'v8'), linux('arm64'))).toBe(true);
    expect(platformMatches(linux('aarch64'), linux('arm64'))).toBe(true);
  });

  it('matches amd64 by alias and rejects other architectures and oses', () => {
    expect(platformMatches(linux('amd64'), linux('x86_64'))).toBe(true);
    expect(platformMatches(linux('amd64'), linux('arm64'))).toBe(false);
    expect(platformMatches(linux('amd64'), { os: 'windows', architecture: 'amd64' })).toBe(false);
  });

  it('lets a host run older arm and amd64 variants, not newer ones', () => {
    expect(platformMatches(linux('arm', 'v7'), linux('arm', 'v6'))).toBe(true);
    expect(platformMatches(linux('arm', 'v6'), linux('arm', 'v7'))).toBe(false);
    expect(platformMatches(linux('arm'), linux('arm', 'v7'))).toBe(true);
    expect(platformMatches(linux('amd64', 'v3'), linux('amd64', 'v2'))).toBe(true);
    expect(platformMatches(linux('amd64'), linux('amd64', 'v3'))).toBe(false);
  });

  it('requires the same variant elsewhere unless none is wanted', () => {
    expect(platformMatches(linux('riscv64'), linux('riscv64', 'rva22'))).toBe(true);
    expect(platformMatches(linux('riscv64', 'rva20'), linux('riscv64', 'rva22'))).toBe(false);
  });

  it('checks os.version only when wanted', () => {
    const win = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' };
    expect(platformMatches({ os: 'windows', architecture: 'amd64' }, win)).toBe(true);
    expect(platformMatches({ ...win, 'os.version': '10.0.20348.1' }, win)).toBe(false);
  });
});

describe('selectPlatform', () => {
  const entries = [
    { digest: 'a', platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { digest: 'b', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { digest: 'c', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { digest: 'd', platform: { os: 'linux', architecture: 'amd64' } },
    { digest: 'e' },
  ];

  it('prefers the closest compatible variant', () => {
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest).toBe('b');
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm', variant: 'v6' })?.digest).toBe('a');
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm64' })?.digest).toBe('c');
    expect(selectPlatform(entries, { os: 'linux', architecture: 'x86_64' })?.digest).toBe('d');
    expect(selectPlatform(entries, { os: 'linux', architecture: 's390x' })).toBeUndefined();
  });
});

describe('hostPlatform / parsePlatform / formatPlatform', () => {
  it('describes this machine in OCI terms', () => {
    const host = hostPlatform();
    expect(host.os).toBe('linux');
    const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', s390x: 's390x' };
    if (expected[process.arch]) expect(host.architecture).toBe(expected[process.arch]);
    expect(platformMatches(host, host)).toBe(true);
  });

  it('parses and formats os/arch/variant', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatform('linux/arm/v6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(parsePlatform('x86_64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux').architecture).toBe(hostPlatform().architecture);
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
    expect(() => parsePlatform('linux//v7')).toThrow(InvalidPlatformError);
    expect(() => parsePlatform('a/b/c/d')).toThrow(InvalidPlatformError);
  });
});
