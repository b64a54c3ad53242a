import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateSubnet, formatSubnet, hostRoutes, overlaps, parseSubnet } from './subnet.js';

describe('subnets', () => {
  it('parses CIDRs and refuses host bits, bad text and subnets too small for a gateway and a container', () => {
    expect(formatSubnet(parseSubnet('10.1.0.0/16'))).toBe('10.1.0.0/16');
    expect(() => parseSubnet('10.1.2.3/16')).toThrow(/host bits set: did you mean 10\.1\.0\.0\/16/);
    expect(() => parseSubnet('10.1.0.0')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseSubnet('300.1.0.0/16')).toThrow(/not an IPv4 CIDR/);
    expect(() => parseSubnet('10.1.0.0/31')).toThrow(/too small/);
  });

  it('overlap works across prefix lengths', () => {
    expect(overlaps(parseSubnet('10.0.0.0/8'), parseSubnet('10.3.4.0/24'))).toBe(true);
    expect(overlaps(parseSubnet('10.3.5.0/24'), parseSubnet('10.3.4.0/24'))).toBe(false);
  });

  it('reads /proc/net/route (little-endian hex) without the default route', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-net-routes-'));
    const f = join(dir, 'route');
    writeFileSync(
      f,
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
        'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' +
        'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
        'br0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n',
    );
    expect(hostRoutes(f).map(formatSubnet)).toEqual(['192.0.2.0/24', '172.17.0.0/16']);
    rmSync(dir, { recursive: true });
  });

  it('allocates the first pool subnet overlapping no route or network, and says when the pools are used up', () => {
    const pools = [
      { base: '172.17.0.0/16', size: 16 },
      { base: '192.168.0.0/16', size: 20 },
    ];
    expect(formatSubnet(allocateSubnet(pools, []))).toBe('172.17.0.0/16');
    expect(formatSubnet(allocateSubnet(pools, [parseSubnet('172.17.3.0/24')]))).toBe('192.168.0.0/20');
    expect(
      formatSubnet(allocateSubnet(pools, [parseSubnet('172.17.0.0/16'), parseSubnet('192.168.0.0/20')])),
    ).toBe('192.168.16.0/20');
    expect(() => allocateSubnet(pools, [parseSubnet('0.0.0.0/1'), parseSubnet('128.0.0.0/1')])).toThrow(
      expect.objectContaining({ code: 'EPOOLEXHAUSTED' }),
    );
  });
});
