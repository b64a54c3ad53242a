import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatIdMap,
  mapToHost,
  NamespaceError,
  parseIdMap,
  validateIdMappings,
  writeIdMappings,
} from './index.js';

describe('id mappings', () => {
  it('formats and parses uid_map text', () => {
    const maps = [
      { containerID: 0, hostID: 100000, size: 1000 },
      { containerID: 1000, hostID: 1000, size: 1 },
    ];
    expect(formatIdMap(maps)).toBe('0 100000 1000\n1000 1000 1\n');
    expect(parseIdMap('         0     100000       1000\n')).toEqual([maps[0]]);
    expect(mapToHost(maps, 5)).toBe(100005);
    expect(mapToHost(maps, 2000)).toBeNull();
  });

  it('rejects overlapping container ranges, naming the entry', () => {
    expect(() =>
      validateIdMappings([
        { containerID: 0, hostID: 100000, size: 10 },
        { containerID: 5, hostID: 200000, size: 10 },
      ]),
    ).toThrow(/mappings\[1\]: container range overlaps mappings\[0\]/);
  });

  it('rejects overlapping host ranges', () => {
    expect(() =>
      validateIdMappings([
        { containerID: 0, hostID: 100000, size: 10 },
        { containerID: 100, hostID: 100009, size: 10 },
      ]),
    ).toThrow(/host range overlaps/);
  });

  it('rejects empty ranges and ranges past 2^32', () => {
    expect(() => validateIdMappings([{ containerID: 0, hostID: 0, size: 0 }])).toThrow(NamespaceError);
    expect(() => validateIdMappings([{ containerID: 2 ** 32 - 1, hostID: 0, size: 2 }])).toThrow(
      /passes 2\^32/,
    );
  });

  it('rejects more than 340 lines', () => {
    const many = Array.from({ length: 341 }, (_, i) => ({ containerID: i, hostID: 100000 + i, size: 1 }));
    expect(() => validateIdMappings(many)).toThrow(/more than 340/);
  });
});

describe('writeIdMappings', () => {
  it('writes the maps of a process in a fresh user namespace (as root: directly)', async () => {
    // a fixture process with an unmapped user namespace (test-only use of util-linux unshare)
    const child = spawn('unshare', ['--user', 'sleep', '100'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const pid = child.pid!;
      // wait until unshare has exec'd sleep inside its new user namespace; bounded by time, not a
      // count of 5 ms naps (1 s in all was too short for a loaded CI machine)
      for (
        const until = Date.now() + 20_000;
        readlinkSync(`/proc/${pid}/ns/user`) === readlinkSync('/proc/self/ns/user') && Date.now() < until;
      )
        await new Promise((r) => setTimeout(r, 5));
      writeIdMappings(pid, {
        uidMappings: [{ containerID: 0, hostID: 200000, size: 1000 }],
        gidMappings: [{ containerID: 0, hostID: 200000, size: 1000 }],
        denySetgroups: true,
      });
      expect(parseIdMap(readFileSync(`/proc/${pid}/uid_map`, 'utf8'))).toEqual([
        { containerID: 0, hostID: 200000, size: 1000 },
      ]);
      expect(readFileSync(`/proc/${pid}/setgroups`, 'utf8').trim()).toBe('deny');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
