import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CgroupEvent, EventStream, watchEventsFile, watchPidsEvents } from './events.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cgroupDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
  scratch.push(dir);
  writeFileSync(join(dir, 'pids.events'), 'max 0\n');
  return dir;
}

async function drain(stream: EventStream): Promise<CgroupEvent[]> {
  const got: CgroupEvent[] = [];
  for await (const e of stream) got.push(e);
  return got;
}

describe('events file watchers (scratch tree)', () => {
  it('a v1 pids.events poll reports a new refusal count', async () => {
    const dir = cgroupDir();
    const stream = new EventStream();
    watchPidsEvents(stream, dir, 5);
    writeFileSync(join(dir, 'pids.events'), 'max 3\n');
    const first = await stream.next();
    stream.end();
    expect(first.value).toEqual({ type: 'pids-limit', count: 3 });
  });

  // Callers close the stream when the process exits, which can reach them before the watch's event does.
  it('a change not yet delivered when the stream is closed is still reported (inotify and poll)', async () => {
    for (const pollMs of [undefined, 60_000]) {
      const dir = cgroupDir();
      const stream = new EventStream();
      watchPidsEvents(stream, dir, pollMs);
      writeFileSync(join(dir, 'pids.events'), 'max 2\n');
      stream.end(); // in the same turn: neither the inotify event nor a poll has run
      expect(await drain(stream)).toEqual([{ type: 'pids-limit', count: 2 }]);
    }
  });

  // A cgroup being removed answers ENODEV while its files go away. The read runs in a timer callback, where a
  // throw would be an uncaught exception in the daemon: the stream must end instead.
  it('a poll whose file can no longer be read ends the stream instead of throwing', async () => {
    const dir = cgroupDir();
    const stream = new EventStream();
    watchPidsEvents(stream, dir, 5);
    unlinkSync(join(dir, 'pids.events'));
    mkdirSync(join(dir, 'pids.events')); // reading it now fails with EISDIR
    expect(await drain(stream)).toEqual([]);
  });

  it('an inotify-watched file that can no longer be read ends the stream instead of throwing', async () => {
    const dir = cgroupDir();
    const stream = new EventStream();
    watchEventsFile(stream, 'pids', dir, 'pids.events', () => {});
    const ended = drain(stream);
    writeFileSync(join(dir, 'pids.events'), 'max 1\n'); // a change event, read fine
    rmSync(dir, { recursive: true, force: true }); // the watch sees the removal; the read finds nothing
    expect(await ended).toEqual([]);
  });
});
