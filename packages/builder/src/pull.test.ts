// FROM an image that is not local: the builder pulls it through the image store (a local registry).
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerBuildMessages } from './events.js';
import { eventLog, makeTestEnv, type TestEnv } from './test-support.js';

let env: TestEnv;
let registry: TestRegistry;

beforeAll(async () => {
  [env, registry] = await Promise.all([makeTestEnv(), startRegistry()]);
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  await env?.close();
});

describe('FROM pulls', () => {
  it('pulls a base image that is not local, and with pull=true even when it is', async () => {
    const name = `${registry.host}/berth-test/busybox-${randomBytes(4).toString('hex')}:v1`;
    await env.store.tag('busybox:latest', name);
    await env.store.push(name);
    await env.store.untag(name);
    expect(await env.store.get(name)).toBeUndefined();

    const log = eventLog();
    const dir = env.context({ Dockerfile: `FROM ${name}\nRUN echo pulled > /p\n` });
    const { imageId } = await env.builder.build({ context: dir, onProgress: log.on });
    expect(log.events.some((e) => e.type === 'pull' && e.ref === name)).toBe(true);
    const statuses = log.events.flatMap(dockerBuildMessages).flatMap((m) => (m.status ? [m.status] : []));
    expect(statuses[0]).toBe(`Pulling from ${name.slice(0, name.lastIndexOf(':'))}`);
    expect(statuses.some((s) => s === 'Pull complete' || s === 'Already exists')).toBe(true);
    expect(statuses.at(-1)).toBe(`Status: Downloaded newer image for ${name}`);
    expect(await env.store.get(name)).toBeDefined();
    expect((await env.run(imageId, ['cat', '/p'])).output).toBe('pulled\n');

    const again = eventLog();
    await env.builder.build({ context: dir, onProgress: again.on });
    expect(again.events.some((e) => e.type === 'pull')).toBe(false);
    const forced = eventLog();
    await env.builder.build({ context: dir, pull: true, onProgress: forced.on });
    expect(forced.events.some((e) => e.type === 'pull')).toBe(true);
  });

  it('a base image that exists nowhere is a clear error', async () => {
    const dir = env.context({
      Dockerfile: `FROM ${registry.host}/berth-test/missing-${randomBytes(4).toString('hex')}\n`,
    });
    await expect(env.builder.build({ context: dir })).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
