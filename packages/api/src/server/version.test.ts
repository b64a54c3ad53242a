import { describe, expect, it } from 'vitest';
import { frame, streamContentType } from './stdcopy.js';
import { compareVersions, splitVersion } from './version.js';

describe('API versions', () => {
  it('compares numerically (1.9 < 1.41 < 1.50)', () => {
    expect(compareVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareVersions('1.50', '1.41')).toBeGreaterThan(0);
    expect(compareVersions('1.50', '1.50')).toBe(0);
  });

  it('splits the /v1.xx prefix; none means the newest; out of range is an error', () => {
    expect(splitVersion('/v1.44/containers/json')).toEqual({ version: '1.44', path: '/containers/json' });
    expect(splitVersion('/containers/json')).toEqual({ version: '1.50', path: '/containers/json' });
    expect(splitVersion('/v2.0/x')).toHaveProperty('error');
    expect(splitVersion('/v1.24/x')).toHaveProperty('error');
  });
});

describe('stdcopy', () => {
  it('frames with stream id, three zero bytes and a big-endian length', () => {
    expect([...frame(2, Buffer.from('hi'))]).toEqual([2, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]);
  });

  it('multiplexed content type from API 1.42, raw before and with a TTY', () => {
    expect(streamContentType(false, '1.42')).toBe('application/vnd.docker.multiplexed-stream');
    expect(streamContentType(false, '1.41')).toBe('application/vnd.docker.raw-stream');
    expect(streamContentType(true, '1.50')).toBe('application/vnd.docker.raw-stream');
  });
});
