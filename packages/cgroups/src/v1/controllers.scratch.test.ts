// v1 controllers this host does not mount (hugetlb, net_cls, net_prio, a proportional blkio scheduler),
// applied to a scratch directory holding the files the kernel would have.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyStats } from '../stats.js';
import { blkio, parseBlkioFile } from './blkio.js';
import { deviceRule, devices, emulateDeviceRules, parseDevicesList } from './devices.js';
import { hugetlb } from './hugetlb.js';
import { netCls } from './net_cls.js';
import { netPrio } from './net_prio.js';

let dir: string;
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const fixture = (files: Record<string, string>) => {
  for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, f), v);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-cgv1-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('v1 controllers on a scratch tree', () => {
  it('hugetlb writes hugetlb.<size>.limit_in_bytes and reads usage per page size', () => {
    fixture({
      'hugetlb.2MB.limit_in_bytes': '9223372036854771712\n',
      'hugetlb.2MB.usage_in_bytes': '4194304\n',
      'hugetlb.2MB.max_usage_in_bytes': '6291456\n',
      'hugetlb.2MB.failcnt': '2\n',
    });
    hugetlb.apply({ hugepageLimits: [{ pageSize: '2MB', limit: 8 << 20 }] }, dir);
    expect(read('hugetlb.2MB.limit_in_bytes')).toBe(String(8 << 20));
    const s = emptyStats();
    hugetlb.stats(dir, s);
    expect(s.hugetlb).toEqual({ '2MB': { usage: 4194304, maxUsage: 6291456, failcnt: 2 } });
  });

  it('a missing hugetlb size is an error naming the file', () => {
    expect(() => hugetlb.apply({ hugepageLimits: [{ pageSize: '1GB', limit: 1 << 30 }] }, dir)).toThrow(
      expect.objectContaining({ code: 'ECGROUPFILE', controller: 'hugetlb', errno: 'ENOENT' }),
    );
  });

  it('net_cls writes the class id, net_prio one "ifname prio" per write', () => {
    fixture({ 'net_cls.classid': '0\n', 'net_prio.ifpriomap': 'lo 0\n' });
    netCls.apply({ network: { classID: 0x100001 } }, dir);
    expect(read('net_cls.classid')).toBe(String(0x100001));
    netPrio.apply({ network: { priorities: [{ name: 'eth0', priority: 5 }] } }, dir);
    expect(read('net_prio.ifpriomap')).toBe('eth0 5');
  });

  it('blkio weight goes to CFQ blkio.weight, else to BFQ blkio.bfq.weight', () => {
    fixture({ 'blkio.bfq.weight': '100\n', 'blkio.bfq.weight_device': '' });
    blkio.apply({ blockIO: { weight: 300, weightDevice: [{ major: 8, minor: 0, weight: 700 }] } }, dir);
    expect(read('blkio.bfq.weight')).toBe('300');
    expect(read('blkio.bfq.weight_device')).toBe('8:0 700');
    fixture({ 'blkio.weight': '500\n' });
    blkio.apply({ blockIO: { weight: 200 } }, dir);
    expect(read('blkio.weight')).toBe('200');
  });

  it('parses blkio "MAJ:MIN Op value" lines, skipping the Total line', () => {
    expect(parseBlkioFile('8:0 Read 4096\n8:0 Write 0\n8:0 Total 4096\nTotal 4096\n')).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 0 },
      { major: 8, minor: 0, op: 'Total', value: 4096 },
    ]);
  });

  it('formats v1 device rules', () => {
    expect(deviceRule({ allow: false, access: 'rwm' })).toBe('a');
    expect(deviceRule({ allow: true, type: 'c', major: 1, minor: 3 })).toBe('c 1:3 rwm');
    expect(deviceRule({ allow: true, type: 'b', major: -1, access: 'r' })).toBe('b *:* r');
    expect(() => deviceRule({ allow: true, type: 'x' })).toThrow(
      expect.objectContaining({ controller: 'devices' }),
    );
  });

  it('refuses type-a rules narrowed by number or access (the kernel would read them as all devices)', () => {
    expect(() => deviceRule({ allow: true, type: 'a', major: 1 })).toThrow(/every device and rwm/);
    expect(() => deviceRule({ allow: false, access: 'm' })).toThrow(/every device and rwm/);
  });

  it('emulates the OCI list as the kernel applies it (last rule wins, access bits merge and subtract)', () => {
    const s = emulateDeviceRules([
      { allow: false },
      { allow: true, type: 'c', major: 1, minor: 3, access: 'r' },
      { allow: true, type: 'c', major: 1, minor: 3, access: 'mw' },
      { allow: true, type: 'c', major: 136, access: 'rwm' },
      { allow: false, type: 'c', major: 136, access: 'm' },
      { allow: true, type: 'b', major: 8, minor: 0, access: 'r' },
      { allow: false, type: 'b', major: 8, minor: 0, access: 'rwm' },
    ]);
    expect(s.defaultAllow).toBe(false);
    expect(Object.fromEntries(s.exceptions)).toEqual({ 'c 1:3': 'rwm', 'c 136:*': 'rw' });
    expect(parseDevicesList('a *:* rwm\n')).toBeUndefined();
    expect(Object.fromEntries(parseDevicesList('c 1:3 rwm\nc 136:* rw\n')!.exceptions)).toEqual({
      'c 1:3': 'rwm',
      'c 136:*': 'rw',
    });
  });

  it('updates a deny-all cgroup by adding allows first and never writes "a" to devices.deny', () => {
    fixture({ 'devices.list': 'c 1:3 rwm\nc 5:1 rw\n', 'devices.allow': '', 'devices.deny': '' });
    devices.apply(
      {
        devices: [
          { allow: false, access: 'rwm' },
          { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
          { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
        ],
      },
      dir,
    );
    expect(read('devices.allow')).toBe('c 5:1 m'); // only the missing access is added
    expect(read('devices.deny')).toBe(''); // nothing removed, and no deny-all window
  });
});
