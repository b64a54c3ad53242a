import { describe, expect, it } from 'vitest';
import { dockerProgressMessage, Progress, type ProgressEvent } from './progress.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const other = `sha256:${'cd'.repeat(32)}`;

describe('Progress', () => {
  it('emits per-blob events followed by overall totals, and events() ends with end()', async () => {
    const progress = new Progress();
    const seen: ProgressEvent[] = [];
    const iterating = (async () => {
      for await (const event of progress.events()) seen.push(event);
    })();
    progress.add('pull', digest, 'layer', 100);
    progress.add('pull', other, 'config', 10);
    progress.update(digest, 'downloading', 40);
    progress.update(other, 'exists');
    progress.update(digest, 'done', 100);
    progress.end();
    await iterating;
    expect(seen.filter((e) => e.type === 'overall').map((e) => [e.current, e.total, e.blobsDone])).toEqual([
      [0, 100, 0],
      [0, 110, 0],
      [40, 110, 0],
      [50, 110, 1],
      [110, 110, 2],
    ]);
    expect(seen[0]).toEqual({
      type: 'blob',
      direction: 'pull',
      digest,
      kind: 'layer',
      status: 'waiting',
      current: 0,
      total: 100,
    });
    expect(progress.blobs.map((b) => b.status)).toEqual(['done', 'exists']);
  });

  it('words events as Docker JSON progress messages', () => {
    const blob = (direction: 'pull' | 'push', status: 'downloading' | 'exists' | 'mounted' | 'uploading') =>
      ({ type: 'blob', direction, digest, kind: 'layer', status, current: 5, total: 9 }) as const;
    expect(dockerProgressMessage(blob('pull', 'downloading'))).toEqual({
      id: 'abababababab',
      status: 'Downloading',
      progressDetail: { current: 5, total: 9 },
    });
    expect(dockerProgressMessage(blob('pull', 'exists'))).toEqual({
      id: 'abababababab',
      status: 'Already exists',
    });
    expect(dockerProgressMessage(blob('push', 'uploading'))?.status).toBe('Pushing');
    expect(dockerProgressMessage(blob('push', 'exists'))?.status).toBe('Layer already exists');
    expect(
      dockerProgressMessage({ type: 'overall', current: 0, total: 0, blobsDone: 0, blobsTotal: 0 }),
    ).toBeUndefined();
  });
});
