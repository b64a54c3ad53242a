// The gRPC server and client on a unix socket: the same calls as in-process, real containers, and
// bad input answered with gRPC status codes (mapped back to SupervisorError codes by the client).
import { join } from 'node:path';
import { credentials, status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SupervisorClient } from './grpc/client.js';
import { services } from './grpc/load.js';
import { type SupervisorServer, serveSupervisor } from './grpc/server.js';
import type { Supervisor } from './supervisor.js';
import { makeWorld, readAll, type TestWorld, uniqueId } from './test-support.js';
import type { Event } from './types.js';

let world: TestWorld;
let sup: Supervisor;
let server: SupervisorServer;
let client: SupervisorClient;

beforeEach(async () => {
  world = makeWorld();
  sup = await world.open();
  server = await serveSupervisor(sup, join(world.dir, 'supervisor.sock'));
  client = new SupervisorClient(server.socketPath);
});

afterEach(async () => {
  await client.close();
  await server.close();
  await world.cleanup();
});

const digest = `sha256:${'a'.repeat(64)}`;

describe('gRPC supervisor', () => {
  it('runs a container: create, attach, start, wait, exec, delete; events with a filter', async () => {
    const id = uniqueId();
    const events: Event[] = [];
    const ac = new AbortController();
    const sub = client.events.subscribe({
      filters: [`topic~="^/tasks/",event.containerId==${id}`],
      signal: ac.signal,
    });
    await sub.ready;
    const collecting = (async () => {
      for await (const e of sub) events.push(e);
    })();

    const c = await client.containers.create('default', {
      id,
      spec: world.spec(['sh', '-c', 'read x; echo got $x; exit 4']),
      labels: { app: 'berth' },
    });
    expect(c).toMatchObject({
      id,
      namespace: 'default',
      labels: { app: 'berth' },
      runtime: { name: 'berth' },
    });
    expect((await client.containers.get('default', id)).spec.process?.args).toEqual([
      'sh',
      '-c',
      'read x; echo got $x; exit 4',
    ]);
    expect((await client.containers.list('default', ['labels.app==berth'])).map((x) => x.id)).toEqual([id]);
    expect(await client.containers.list('default', ['labels.app==other'])).toEqual([]);

    await client.tasks.create('default', id, { stdin: true });
    const att = await client.tasks.attach('default', id, { stdin: true });
    const out = readAll(att.stdout);
    const started = await client.tasks.start('default', id);
    expect(started.status).toBe('running');
    await client.tasks.exec('default', id, 'e1', { process: { args: ['echo', 'from exec'] } });
    const ex = await client.tasks.attach('default', id, { execId: 'e1' });
    const exOut = readAll(ex.stdout);
    await client.tasks.start('default', id, { execId: 'e1' });
    expect(await client.tasks.wait('default', id, { execId: 'e1' })).toMatchObject({ exitCode: 0 });
    expect(await exOut).toBe('from exec\n');
    att.stdin!.end('berth\n');
    expect(await client.tasks.wait('default', id)).toMatchObject({ exitCode: 4, signal: null });
    expect(await out).toBe('got berth\n');
    expect(await client.tasks.delete('default', id)).toMatchObject({ exitCode: 4 });
    await client.containers.delete('default', id);

    ac.abort();
    await collecting;
    const topics = events.map((e) => e.topic);
    expect(topics).toEqual(
      expect.arrayContaining([
        '/tasks/create',
        '/tasks/start',
        '/tasks/exec-added',
        '/tasks/exec-started',
        '/tasks/exit',
        '/tasks/delete',
      ]),
    );
    expect(topics).not.toContain('/containers/create');
    const exit = events.find((e) => e.topic === '/tasks/exit' && e.event.id === id);
    expect(exit?.event).toMatchObject({ containerId: id, exitStatus: 4 });
  });

  it('answers bad calls with NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT, FAILED_PRECONDITION, UNIMPLEMENTED', async () => {
    const id = uniqueId();
    await expect(client.containers.get('default', id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(id),
    });
    await expect(
      client.containers.create('default', { id: 'no spaces please', spec: world.spec(['true']) }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('id'),
    });
    await expect(
      client.containers.create('default', { id, spec: { ociVersion: 7 } as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('spec.ociVersion'),
    });
    await expect(client.containers.list('default', ['labels.x=="unterminated'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await client.containers.create('default', { id, spec: world.spec(['sleep', '100']) });
    await expect(
      client.containers.create('default', { id, spec: world.spec(['true']) }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await client.tasks.create('default', id);
    await expect(client.containers.delete('default', id)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await expect(client.tasks.checkpoint('default', id)).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    await expect(client.tasks.start('default', id, { execId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await client.tasks.start('default', id);
    await expect(client.tasks.start('default', id)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(client.tasks.delete('default', id)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(client.tasks.kill('default', id, 99)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await client.tasks.delete('default', id, { force: true })).signal).toBe(9);

    // the raw status codes on the wire, as any gRPC client (grpcurl, Go) sees them
    const raw = new (services().Containers)(`unix://${server.socketPath}`, credentials.createInsecure());
    const code = await new Promise((resolve) =>
      (
        raw as unknown as Record<string, (r: object, cb: (e: { code: number } | null) => void) => void>
      ).Get!.call(raw, { namespace: 'default', id: 'missing' }, (e) => resolve(e?.code)),
    );
    raw.close();
    expect(code).toBe(status.NOT_FOUND);
  });

  it('a client whose supervisor is not there gets UNAVAILABLE', async () => {
    const lost = new SupervisorClient(join(world.dir, 'nobody-here.sock'));
    try {
      await expect(lost.containers.list('default')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await lost.close();
    }
  });

  it('images, leases and gc over gRPC', async () => {
    const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 10 };
    const img = await client.images.create('default', {
      name: 'docker.io/library/busybox:latest',
      target,
      labels: { a: '1' },
    });
    expect(img).toMatchObject({ name: 'docker.io/library/busybox:latest', target, labels: { a: '1' } });
    await expect(client.images.create('default', { name: img.name, target })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(
      client.images.create('default', { name: 'x', target: { ...target, digest: 'nope' } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect((await client.images.update('default', img.name, { labels: { b: '2' } })).labels).toEqual({
      b: '2',
    });
    expect((await client.images.list('default', [`target.digest==${digest}`])).length).toBe(1);
    expect(await client.images.list('other')).toEqual([]);
    await client.images.delete('default', img.name);
    await expect(client.images.get('default', img.name)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const lease = await client.leases.create('default', { id: 'berth-lease', labels: { why: 'test' } });
    expect(lease).toMatchObject({ id: 'berth-lease', labels: { why: 'test' } });
    await client.leases.addResource('default', lease.id, { type: 'content', id: digest });
    expect(await client.leases.listResources('default', lease.id)).toEqual([{ type: 'content', id: digest }]);
    await expect(
      client.leases.addResource('default', lease.id, { type: 'bogus' as never, id: 'x' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await client.leases.delete('default', lease.id);
    await expect(client.leases.listResources('default', lease.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const expiring = await client.leases.create('default', { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect((await client.gc()).leases).toEqual([`default/${expiring.id}`]);
  });
});
