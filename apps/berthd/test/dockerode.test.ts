// dockerode, the Docker client most Node programs use, against berthd: images, a container's whole
// life (create with HostConfig, attach, start, wait, logs, inspect, remove), exec, and Docker's
// errors for bad input, with nothing changed in the store.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cgroupsLeft,
  cleanupAll,
  dockerOk,
  makeRootfsTar,
  startDaemon,
  type TestDaemon,
  tempDir,
  uniqueCgroupParent,
} from './harness.js';

const IMAGE = 'berth-busybox:dockerode';
let dir: string;
let cgroupParent: string;
let d: TestDaemon | undefined;
let client: Docker;

beforeAll(async () => {
  dir = tempDir();
  cgroupParent = uniqueCgroupParent();
  const tar = makeRootfsTar(dir);
  d = await startDaemon(dir, cgroupParent, ['--bridge', 'none']);
  dockerOk(d, ['import', tar, IMAGE]);
  client = new Docker({ socketPath: d.socket });
}, 60_000);

afterAll(async () => {
  await cleanupAll(d, dir, cgroupParent);
  expect(cgroupsLeft(cgroupParent)).toEqual([]);
}, 60_000);

/** The HTTP status of a dockerode call that must fail (its errors are too cyclic for toMatchObject). */
async function statusOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { statusCode?: number }).statusCode;
  }
}

/** Docker's multiplexed stream split into stdout and stderr text. */
function demux(container: Docker.Container, stream: NodeJS.ReadableStream) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c) => (text.out += c));
  err.on('data', (c) => (text.err += c));
  container.modem.demuxStream(stream, out, err);
  return text;
}

describe('dockerode against berthd', () => {
  it('lists the image and reports the daemon version', async () => {
    const images = await client.listImages();
    expect(images.flatMap((i) => i.RepoTags ?? [])).toContain(IMAGE);
    const version = await client.version();
    expect(version.ApiVersion).toBe('1.50');
  });

  it('create, attach, start, wait, logs, inspect, remove', async () => {
    const container = await client.createContainer({
      Image: IMAGE,
      Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
      Env: ['GREETING=hello'],
      HostConfig: { Memory: 64 * 1024 * 1024 },
    });
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    // the attach stream ends when the container does; its tail can arrive after the wait's answer,
    // which comes on another connection: read it to its end rather than for a fixed time
    const ended = finished(stream);
    const text = demux(container, stream);
    // next-exit: a created container is already "not running" (wait's default condition)
    const waited = container.wait({ condition: 'next-exit' });
    await container.start();
    expect((await waited).StatusCode).toBe(3);
    await ended;
    expect(text).toEqual({ out: 'out\n', err: 'err\n' });
    const logs = await container.logs({ stdout: true, stderr: true });
    expect(logs.toString()).toContain('out');
    const info = await container.inspect();
    expect(info.State.ExitCode).toBe(3);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.Config.Env).toContain('GREETING=hello');
    await container.remove();
    expect(await statusOf(client.getContainer(info.Id).inspect())).toBe(404);
  });

  it('exec in a running container', async () => {
    const container = await client.createContainer({ Image: IMAGE, Cmd: ['sleep', '60'] });
    try {
      await container.start();
      const exec = await container.exec({
        Cmd: ['sh', '-c', 'echo from-exec'],
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({ hijack: true, stdin: false });
      const text = demux(container, stream);
      await new Promise((r) => stream.on('end', r));
      expect(text.out).toBe('from-exec\n');
      expect((await exec.inspect()).ExitCode).toBe(0);
    } finally {
      await container.remove({ force: true });
    }
  });

  it("bad input gets Docker's status codes and leaves the store as it was", async () => {
    const before = (await client.listContainers({ all: true })).length;
    expect(await statusOf(client.createContainer({ Image: 'berth-no-such-image:1' }))).toBe(404);
    const named = await client.createContainer({ Image: IMAGE, name: 'berth-dockerode-dup', Cmd: ['true'] });
    expect(
      await statusOf(client.createContainer({ Image: IMAGE, name: 'berth-dockerode-dup', Cmd: ['true'] })),
    ).toBe(409);
    // --mount type=bind refuses a missing source (-v would create it, as Docker does)
    const badBind = {
      Image: IMAGE,
      Cmd: ['true'],
      HostConfig: { Mounts: [{ Type: 'bind' as const, Source: `${dir}/no-such-source`, Target: '/data' }] },
    };
    expect(await statusOf(client.createContainer(badBind))).toBe(400);
    await named.remove();
    expect((await client.listContainers({ all: true })).length).toBe(before);
  });
});
