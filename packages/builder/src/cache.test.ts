import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildEvent } from './events.js';
import { dockerBuildMessages } from './events.js';
import { eventLog, makeTestEnv, packDir, type TestEnv } from './test-support.js';

let env: TestEnv;

beforeAll(async () => {
  env = await makeTestEnv();
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const cachedSteps = (events: BuildEvent[]) =>
  events.filter((e) => e.type === 'cached').map((e) => (e as { step: number }).step);

describe('build cache', () => {
  it('a rebuild with nothing changed is fully cached; changing one copied file invalidates exactly from its step', async () => {
    const dir = env.context({
      Dockerfile: [
        'FROM busybox',
        'ENV A=1',
        'COPY one.txt /one.txt',
        'LABEL x=y',
        'COPY two.txt /two.txt',
        'CMD ["cat", "/two.txt"]',
      ].join('\n'),
      'one.txt': 'one',
      'two.txt': 'two',
    });
    const first = eventLog();
    const a = await env.builder.build({ context: dir, onProgress: first.on });
    expect(cachedSteps(first.events)).toEqual([]);

    const second = eventLog();
    const b = await env.builder.build({ context: dir, onProgress: second.on });
    expect(b.imageId).toBe(a.imageId);
    expect(cachedSteps(second.events)).toEqual([2, 3, 4, 5, 6]);

    // a new mtime alone does not invalidate (content checksums, as Docker)
    writeFileSync(join(dir, 'one.txt'), 'one');
    const touched = eventLog();
    expect((await env.builder.build({ context: dir, onProgress: touched.on })).imageId).toBe(a.imageId);

    writeFileSync(join(dir, 'two.txt'), 'TWO');
    const third = eventLog();
    const c = await env.builder.build({ context: dir, onProgress: third.on });
    expect(c.imageId).not.toBe(a.imageId);
    expect(cachedSteps(third.events)).toEqual([2, 3, 4]);
    await env.inspect(c.imageId, (r) => {
      expect(readFileSync(join(r, 'two.txt'), 'utf8')).toBe('TWO');
    });

    const fresh = eventLog();
    const d = await env.builder.build({ context: dir, noCache: true, onProgress: fresh.on });
    expect(cachedSteps(fresh.events)).toEqual([]);
    expect(d.imageId).not.toBe(c.imageId);
  });

  it('a new build-arg value misses the cache where it is used, not at its ARG line', async () => {
    const dir = env.context({ Dockerfile: 'FROM busybox\nARG V\nENV X=1\nLABEL v=$V\n' });
    await env.builder.build({ context: dir, buildArgs: { V: '1' } });
    const again = eventLog();
    await env.builder.build({ context: dir, buildArgs: { V: '2' }, onProgress: again.on });
    expect(cachedSteps(again.events)).toEqual([2, 3]);
  });

  it('the cache survives a new Builder on the same root (persisted under the builder root)', async () => {
    const dir = env.context({ Dockerfile: 'FROM busybox\nENV PERSIST=1\n' });
    const a = await env.builder.build({ context: dir });
    const { Builder } = await import('./builder.js');
    const again = new Builder({ images: env.store, root: env.builder.root, runner: env.builder.runner });
    const log = eventLog();
    const b = await again.build({ context: dir, onProgress: log.on });
    expect(b.imageId).toBe(a.imageId);
    expect(cachedSteps(log.events)).toEqual([2]);
    expect(again.pruneCache()).toBeGreaterThan(0);
    expect(again.buildPrune()).toEqual({ CachesDeleted: [], SpaceReclaimed: 0 });
  });

  it("speaks Docker's /build stream", async () => {
    const dir = env.context({ Dockerfile: 'FROM busybox\nENV S=1\n' });
    await env.builder.build({ context: dir });
    const body = env.builder.dockerBuild({ context: dir, tags: ['berth-test-stream:v1'] });
    let text = '';
    for await (const chunk of body) text += chunk;
    const messages = text
      .trim()
      .split('\r\n')
      .map((l) => JSON.parse(l));
    const streams = messages
      .filter((m) => m.stream)
      .map((m) => m.stream)
      .join('');
    expect(streams).toMatch(
      /^Step 1\/2 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/2 : ENV S=1\n ---> Using cache\n ---> [0-9a-f]{12}\n/,
    );
    expect(streams).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged berth-test-stream:v1\n$/);
    const aux = messages.find((m) => m.aux);
    expect(aux.aux.ID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await env.store.get('berth-test-stream:v1')).toMatchObject({ id: aux.aux.ID });

    const failing = env.builder.dockerBuild({
      context: env.context({ Dockerfile: 'FROM busybox\nFOO bar\n' }),
    });
    let out = '';
    for await (const chunk of failing) out += chunk;
    const last = JSON.parse(out.trim().split('\r\n').at(-1)!);
    expect(last).toEqual({
      errorDetail: { message: 'Dockerfile:2:1: unknown instruction: FOO' },
      error: 'Dockerfile:2:1: unknown instruction: FOO',
    });
    expect(
      dockerBuildMessages({ type: 'running', step: 2, containerId: 'berth-build-0123456789abcdef' }),
    ).toEqual([{ stream: ' ---> Running in 0123456789ab\n' }]);
  });

  it('recover() clears what a crashed build left under the builder root', async () => {
    const leftover = join(env.builder.root, 'berth-build-context-crashed');
    mkdirSync(join(leftover, 'sub'), { recursive: true });
    mkdirSync(join(env.builder.root, 'mnt', 'step-crashed'), { recursive: true });
    await env.store.prepareRootfs('busybox:latest', 'berth-build-crashed-step');
    expect(await env.builder.recover()).toEqual({ unmounted: 0, removed: 2, snapshots: 1 });
    expect(existsSync(leftover)).toBe(false);
  });

  it("apiBuild answers the API layer's parsed POST /build query with Docker's messages", async () => {
    const dir = env.context({ Dockerfile: 'FROM busybox\nARG V\nLABEL v=$V\n' });
    const messages = [];
    for await (const m of env.builder.apiBuild({
      query: { t: ['berth-test-api:1'], q: true, buildargs: { V: '7' }, pull: '0' },
      context: packDir(dir),
    })) {
      messages.push(m);
    }
    expect(messages).toHaveLength(2);
    expect(messages[1]!.stream).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const image = await env.store.get('berth-test-api:1');
    expect(image?.config.config?.Labels).toEqual({ v: '7' });

    const refused = [];
    for await (const m of env.builder.apiBuild({ query: { version: '2' }, context: packDir(dir) }))
      refused.push(m);
    expect(refused).toEqual([expect.objectContaining({ error: expect.stringMatching(/BuildKit/) })]);
  });
});
