// @berth/api's client pieces the CLI relies on: stdcopy framing and JSON stream splitting.
import { PassThrough, Writable } from 'node:stream';
import { demultiplex, encodeFrame, FrameParser, parseHost, parseJsonStream } from '@berth/api';
import { describe, expect, it } from 'vitest';

class Sink extends Writable {
  text = '';
  override _write(c: Buffer, _e: string, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

describe('stdcopy', () => {
  it('parses frames fed one byte at a time', () => {
    const p = new FrameParser();
    const all = Buffer.concat([encodeFrame(1, 'out'), encodeFrame(2, 'err'), encodeFrame(1, '')]);
    const frames = [...all].flatMap((b) => p.push(Buffer.from([b])));
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      [1, 'out'],
      [2, 'err'],
      [1, ''],
    ]);
    expect(p.pending).toBe(0);
  });

  it('rejects a system-error frame with its text', async () => {
    const src = new PassThrough();
    src.end(Buffer.concat([encodeFrame(1, 'a'), encodeFrame(3, 'the daemon broke')]));
    const out = new Sink();
    await expect(demultiplex(src, out, new Sink())).rejects.toThrow('the daemon broke');
    expect(out.text).toBe('a');
  });
});

describe('JSON streams', () => {
  it('splits values by depth: newline-separated, back to back, and split mid-string', async () => {
    async function* chunks() {
      yield '{"a":1}\n{"b":"x}';
      yield '{"}{"c":[1,';
      yield '2]}\r\n';
    }
    const got: unknown[] = [];
    for await (const v of parseJsonStream(chunks())) got.push(v);
    expect(got).toEqual([{ a: 1 }, { b: 'x}{' }, { c: [1, 2] }]);
  });
});

describe('hosts', () => {
  it('parses docker host syntax', () => {
    expect(parseHost('unix:///run/berth/berth.sock')).toMatchObject({
      kind: 'unix',
      socketPath: '/run/berth/berth.sock',
    });
    expect(parseHost('tcp://10.0.0.1:2376')).toMatchObject({ kind: 'tcp', hostname: '10.0.0.1', port: 2376 });
    expect(parseHost('tcp://host')).toMatchObject({ kind: 'tcp', hostname: 'host', port: 2375 });
    expect(parseHost('/tmp/x.sock')).toMatchObject({ kind: 'unix', socketPath: '/tmp/x.sock' });
    expect(() => parseHost('ssh://x')).toThrow('only unix:// and tcp:// are supported');
  });
});
