// The in-process backend's reader of a terminal's pty master (no container needed: a pty of our own).
import { closeSync, writeSync } from 'node:fs';
import { openpty } from '@berth/native';
import { describe, expect, it } from 'vitest';
import { PtyMaster } from './inprocess-backend.js';
import { readAll } from './test-support.js';

describe('PtyMaster', () => {
  it('reads what the slave wrote before it closed to the end (more than one read of the master)', async () => {
    const { master, slave } = openpty();
    // 5050 bytes: the master's line discipline holds 4 KiB, the rest waits in the pty's buffer; a
    // tty.ReadStream (libuv's short read + POLLHUP = EOF) ended after the first 4095 bytes here
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50; i++) writeSync(slave, line);
    closeSync(slave);
    const text = await readAll(new PtyMaster(master).output);
    expect(text.length).toBe(50 * 101);
    expect(text).toBe(`${'x'.repeat(99)}\r\n`.repeat(50));
  });

  it('typed input the pty cannot take does not block; it is dropped once the terminal is gone', async () => {
    const { master, slave } = openpty();
    const pty = new PtyMaster(master);
    const out = readAll(pty.output);
    // far more than a pty buffers while nobody reads the slave: the master's writes fail with EAGAIN
    const written = new Promise<Error | null | undefined>((resolve) =>
      pty.write(Buffer.from(`${'y'.repeat(1023)}\n`.repeat(256)), resolve),
    );
    closeSync(slave);
    expect(await written).toBeFalsy();
    await out;
    expect(pty.closed).toBe(true);
    // and input after the end is dropped, not written to whatever the fd number is now
    await expect(new Promise((resolve) => pty.write(Buffer.from('late\n'), resolve))).resolves.toBeFalsy();
  });
});
