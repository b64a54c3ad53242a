import { describe, expect, it } from 'vitest';
import { EventBus } from './events.js';
import { lookupIn, parseFilters } from './filters.js';
import type { Event } from './types.js';

const c = { id: 'web', image: 'nginx', labels: { app: 'web', 'com.example.tier': 'front' } };
const match = (filters: string[]) => parseFilters(filters)(lookupIn(c));

describe('containerd filters', () => {
  it('==, !=, ~= and presence; "," is AND, the array is OR; quoted label keys', () => {
    expect(match([])).toBe(true);
    expect(match(['id==web'])).toBe(true);
    expect(match(['id==db'])).toBe(false);
    expect(match(['id!=db,image==nginx'])).toBe(true);
    expect(match(['id==db', 'image~="^ngi"'])).toBe(true);
    expect(match(['labels.app'])).toBe(true);
    expect(match(['labels.nope'])).toBe(false);
    expect(match(['labels."com.example.tier"==front'])).toBe(true);
    expect(match(['labels.com.example.tier==front'])).toBe(true);
  });

  it('refuses bad syntax with INVALID_ARGUMENT', () => {
    expect(() => parseFilters(['labels."open==x'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => parseFilters(['id~="("'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseFilters(['=x'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('event subscriptions get the events their filters match, from subscribe on, until aborted', async () => {
    const bus = new EventBus();
    bus.emit('default', '/tasks/start', { containerId: 'before' });
    const ac = new AbortController();
    const sub = bus.subscribe({ filters: ['topic=="/tasks/exit",namespace==default'], signal: ac.signal });
    bus.emit('default', '/tasks/start', { containerId: 'a' });
    bus.emit('other', '/tasks/exit', { containerId: 'b' });
    bus.emit('default', '/tasks/exit', { containerId: 'c', exitStatus: 1 });
    const got: Event[] = [];
    for await (const e of sub) {
      got.push(e);
      ac.abort();
    }
    expect(got.map((e) => e.event.containerId)).toEqual(['c']);
    expect(got[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
  });

  it('publish checks the topic and payload', async () => {
    const bus = new EventBus();
    await expect(bus.publish('default', 'no-slash' as never, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(bus.publish('default', '/x/y' as never, [] as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(bus.publish('bad ns', '/x/y' as never, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
