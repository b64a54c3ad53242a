import { describe, expect, it } from 'vitest';
import { DEFAULT_DETACH_KEYS, EscapeProxy, parseDetachKeys } from './escape.js';

describe('detach keys', () => {
  it('parses Docker syntax: ctrl-<letter>, ctrl-@ … ctrl-_, single characters', () => {
    expect(parseDetachKeys('ctrl-p,ctrl-q')).toEqual(DEFAULT_DETACH_KEYS);
    expect([...parseDetachKeys('a,ctrl-@,ctrl-[,ctrl-_')]).toEqual([0x61, 0, 27, 31]);
    expect(() => parseDetachKeys('ctrl-€')).toThrow(/Invalid detach keys/);
    expect(() => parseDetachKeys('ab')).toThrow(/Invalid detach keys/);
  });

  it('holds a possible prefix, releases it on mismatch, detaches on the whole sequence across chunks', () => {
    const p = new EscapeProxy(DEFAULT_DETACH_KEYS);
    expect(p.push(Buffer.from([0x61, 0x10])).toString()).toBe('a');
    expect([...p.push(Buffer.from([0x62]))]).toEqual([0x10, 0x62]);
    expect([...p.push(Buffer.from([0x10, 0x10]))]).toEqual([0x10]);
    expect(p.push(Buffer.from([0x11, 0x63])).length).toBe(0);
    expect(p.detached).toBe(true);
    expect(p.push(Buffer.from('more')).length).toBe(0);
  });
});
