import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { readFixture } from '../test-support/fixtures.js';
import { State } from './state.js';

describe('State', () => {
  it("accepts the spec's state example", () => {
    expect(State.parse(readFixture('spec-examples/runtime-state.json')).pid).toBe(4422);
  });

  it('accepts a creating container without a pid, and drops runc extras', () => {
    const s = State.parse({
      ociVersion: '1.2.1',
      id: 'x',
      status: 'creating',
      bundle: '/b',
      rootfs: '/b/rootfs',
    });
    expect(s).toEqual({ ociVersion: '1.2.1', id: 'x', status: 'creating', bundle: '/b' });
  });

  it('rejects an unknown status, a negative pid, and a missing bundle', () => {
    const ok = { ociVersion: '1.2.1', id: 'x', status: 'running', pid: 1, bundle: '/b' };
    expectInvalid(State, { ...ok, status: 'paused' }, 'status');
    expectInvalid(State, { ...ok, pid: -1 }, 'pid');
    expectInvalid(State, { ...ok, bundle: undefined }, 'bundle');
  });
});
