import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { docker, type Harness, startFake } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startFake();
});
afterEach(async () => {
  await h.close();
});

describe('the real docker CLI 28 against the fake backend', () => {
  it('docker version shows the server with API 1.50', async () => {
    const r = await docker(h, [
      'version',
      '--format',
      '{{.Server.APIVersion}} {{.Server.Version}} {{.Client.APIVersion}}',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1.50 0.0.0-fake 1.50');
  });

  it('docker run prints the output and returns the exit code (attach hijack + wait next-exit before start)', async () => {
    const r = await docker(h, ['run', '--name', 'berth-t1', 'busybox', 'echo', 'hello', 'berth']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello berth\n');
    expect(r.code).toBe(0);
    const order = h.backend.calls.map((c) => c.method);
    expect(order.indexOf('containerWait')).toBeLessThan(order.indexOf('containerStart'));
    expect(h.backend.calls.find((c) => c.method === 'containerWait')?.args[1]).toBe('next-exit');
  });
});
