import { describe, expect, it } from 'vitest';
import { formatIdMap, mapToHost, NamespaceError, parseIdMap, validateIdMappings } from './index.js';

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
