import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogWriter } from './log-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-supervisor-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LogWriter (in-process backend logs)', () => {
  it('json-file: one entry per line per stream; a partial line is kept until its end or close', () => {
    const path = join(dir, 'c-json.log');
    const w = new LogWriter({ path, format: 'json-file' });
    w.write('stdout', Buffer.from('a\nb'));
    w.write('stderr', Buffer.from('e\n'));
    w.write('stdout', Buffer.from('c\nd'));
    w.close();
    const entries = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.stream, e.log])).toEqual([
      ['stdout', 'a\n'],
      ['stderr', 'e\n'],
      ['stdout', 'bc\n'],
      ['stdout', 'd'],
    ]);
  });

  it('rotates by size, keeping maxFiles files as Docker names them', () => {
    const path = join(dir, 'raw.log');
    const w = new LogWriter({ path, format: 'raw', maxSize: 10, maxFiles: 3 });
    for (const chunk of ['0123456789', 'abcdefghij', 'ABCDEFGHIJ', 'xyz'])
      w.write('stdout', Buffer.from(chunk));
    w.close();
    expect(readdirSync(dir).sort()).toEqual(['raw.log', 'raw.log.1', 'raw.log.2']);
    expect(readFileSync(path, 'utf8')).toBe('xyz');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('ABCDEFGHIJ');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('abcdefghij');
  });
});
