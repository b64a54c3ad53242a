import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerStore } from './container-store.js';
import { createdState } from './created-state.js';
import { commandOf, mergeImageConfig } from './image-config.js';
import { JsonLogWriter, readJsonLog } from './json-log.js';
import { resolveMountPoints } from './mount-points.js';
import { nextDelay, restartOnDaemonStart, shouldRestart, validateRestartPolicy } from './restart-policy.js';
import type { ContainerRecord } from './types.js';
import { VolumeStore } from './volumes.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-daemon-model-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rec = (id: string, name: string) => ({
  Id: id,
  Created: new Date().toISOString(),
  Path: 'sh',
  Args: [],
  Name: name,
  RestartCount: 0,
  Driver: 'overlay2',
  Platform: 'linux',
  Image: 'sha256:x',
  Config: {},
  HostConfig: {},
  State: createdState(),
  MountPoints: [],
  LogPath: '',
  ResolvConfPath: '',
  HostnamePath: '',
  HostsPath: '',
  SnapshotKey: id,
  HasBeenManuallyStopped: false,
});

describe('container store', () => {
  it('finds by id, name and unique prefix; names are unique (409); records survive a reopen', () => {
    const s = new ContainerStore(join(dir, 'containers'));
    const a = `abc${'0'.repeat(61)}`;
    const b = `abd${'0'.repeat(61)}`;
    s.save(rec(a, '/one'));
    s.save(rec(b, '/two'));
    expect(s.get('one').Id).toBe(a);
    expect(s.get('/two').Id).toBe(b);
    expect(s.get('abc').Id).toBe(a);
    expect(() => s.get('ab')).toThrow(/multiple IDs/);
    expect(() => s.get('zzz')).toThrow(expect.objectContaining({ statusCode: 404 }));
    expect(() => s.reserveName('/one', 'x')).toThrow(expect.objectContaining({ statusCode: 409 }));
    const again = new ContainerStore(join(dir, 'containers'));
    expect(
      again
        .list()
        .map((r) => r.Name)
        .sort(),
    ).toEqual(['/one', '/two']);
    again.remove(a);
    expect(existsSync(join(dir, 'containers', a))).toBe(false);
  });

  it('state saves land on disk after flush; a later save wins over an earlier deferred one; crash leftovers go', async () => {
    const root = join(dir, 'containers');
    const s = new ContainerStore(root);
    const a = `abc${'0'.repeat(61)}`;
    const r = rec(a, '/one');
    s.save(r);
    s.saveState({ ...r, State: { ...r.State, Status: 'running', Running: true } });
    expect(s.get(a).State.Status).toBe('running'); // indexed at once
    await s.flush();
    expect(new ContainerStore(root).get(a).State.Status).toBe('running');
    // a deferred write superseded by a durable one does not land over it
    s.saveState({ ...r, State: { ...r.State, Status: 'exited' } });
    s.save({ ...r, Name: '/renamed' });
    await s.flush();
    const back = new ContainerStore(root).get(a);
    expect(back.Name).toBe('/renamed');
    expect(back.State.Status).toBe('created');
    // removed while a deferred write is in flight: nothing comes back
    s.saveState({ ...r, State: { ...r.State, Status: 'exited' } });
    s.remove(a);
    await s.flush();
    expect(existsSync(join(root, a))).toBe(false);
    // a temp file of a write a crash cut short is removed at open; the record stays
    s.save(r);
    writeFileSync(join(root, a, '.tmp-1-1'), '{"half');
    expect(new ContainerStore(root).get(a).Name).toBe('/one');
    expect(readdirSync(join(root, a))).toEqual(['config.v2.json']);
  });
});

describe('image config merge (Docker rules)', () => {
  const image = { Entrypoint: ['/ep'], Cmd: ['a'], Env: ['PATH=/x', 'A=1'], WorkingDir: '/w', User: 'u' };
  it('Cmd alone keeps the image entrypoint; Entrypoint without Cmd drops the image Cmd; env merges by key', () => {
    expect(commandOf(mergeImageConfig({ Cmd: ['b'] }, image))).toEqual(['/ep', 'b']);
    expect(commandOf(mergeImageConfig({}, image))).toEqual(['/ep', 'a']);
    expect(commandOf(mergeImageConfig({ Entrypoint: ['/x'] }, image))).toEqual(['/x']);
    const m = mergeImageConfig({ Env: ['A=2'] }, image);
    expect(m.Env).toEqual(['PATH=/x', 'A=2']);
    expect(m.WorkingDir).toBe('/w');
    expect(m.User).toBe('u');
  });
});

describe('volumes and mount points', () => {
  it('named volumes are created once, listed, refused when in use, removed', () => {
    const v = new VolumeStore(join(dir, 'volumes'));
    expect(v.create({ name: 'berth-data' }).created).toBe(true);
    expect(v.create({ name: 'berth-data' }).created).toBe(false);
    expect(v.list().map((x) => x.Name)).toEqual(['berth-data']);
    expect(() => v.create({ name: 'bad/name' })).toThrow(expect.objectContaining({ statusCode: 400 }));
    expect(() => v.remove('berth-data', ['c1'])).toThrow(expect.objectContaining({ statusCode: 409 }));
    v.remove('berth-data');
    expect(() => v.get('berth-data')).toThrow(expect.objectContaining({ statusCode: 404 }));
  });

  it('binds, --mount, --tmpfs and image volumes; an invalid mount is a 400 and creates nothing', () => {
    const v = new VolumeStore(join(dir, 'volumes'));
    const mps = resolveMountPoints(
      { Binds: ['/tmp:/host:ro', 'named:/named'], Tmpfs: { '/run': 'size=1m' } },
      ['/anon', '/named'],
      v,
    );
    expect(mps.map((m) => [m.Type, m.Destination, m.RW])).toEqual([
      ['bind', '/host', false],
      ['volume', '/named', true],
      ['tmpfs', '/run', true],
      ['volume', '/anon', true],
    ]);
    expect(mps[3]!.Anonymous).toBe(true);
    expect(v.list()).toHaveLength(2);
    const before = readdirSync(join(dir, 'volumes')).sort();
    expect(() =>
      resolveMountPoints(
        { Binds: ['other:/o'], Mounts: [{ Type: 'bind', Source: join(dir, 'missing'), Target: '/m' }] },
        [],
        v,
      ),
    ).toThrow(
      expect.objectContaining({
        statusCode: 400,
        message: expect.stringMatching(/bind source path does not exist/),
      }),
    );
    expect(readdirSync(join(dir, 'volumes')).sort()).toEqual(before);
    expect(() => resolveMountPoints({ Binds: ['/a:/x', '/b:/x'] }, [], v)).toThrow(/Duplicate mount point/);
    expect(() => resolveMountPoints({ Binds: ['/a:relative'] }, [], v)).toThrow(/must be absolute/);
  });
});

describe('restart policies', () => {
  const f = { exitCode: 1, manuallyStopped: false, restartCount: 0, shuttingDown: false };
  it('always / unless-stopped / on-failure[:max] / no', () => {
    expect(shouldRestart({ Name: 'always' }, { ...f, exitCode: 0 })).toBe(true);
    expect(shouldRestart({ Name: 'always' }, { ...f, manuallyStopped: true })).toBe(false);
    expect(shouldRestart({ Name: 'on-failure' }, { ...f, exitCode: 0 })).toBe(false);
    expect(shouldRestart({ Name: 'on-failure', MaximumRetryCount: 2 }, { ...f, restartCount: 2 })).toBe(
      false,
    );
    expect(shouldRestart({ Name: 'on-failure', MaximumRetryCount: 2 }, { ...f, restartCount: 1 })).toBe(true);
    expect(shouldRestart({ Name: 'no' }, f)).toBe(false);
    expect(restartOnDaemonStart({ Name: 'unless-stopped' }, true, 0)).toBe(false);
    expect(restartOnDaemonStart({ Name: 'always' }, true, 0)).toBe(true);
    expect(nextDelay(0, 0)).toBe(100);
    expect(nextDelay(100, 50)).toBe(200);
    expect(nextDelay(40_000, 50)).toBe(60_000);
    expect(nextDelay(800, 20_000)).toBe(100);
    expect(() => validateRestartPolicy({ Name: 'always', MaximumRetryCount: 3 }, false)).toThrow(
      /only be used with 'on-failure'/,
    );
    expect(() => validateRestartPolicy({ Name: 'always' }, true)).toThrow(/AutoRemove/);
  });
});

describe('json-file logs', () => {
  it('writes Docker json-file lines, reads with tail/since/streams, rotates by size', async () => {
    const path = join(dir, 'c-json.log');
    const w = new JsonLogWriter(path, { maxSize: 200, maxFiles: 3 });
    w.write('stdout', 'one\ntw');
    w.write('stdout', 'o\n');
    w.write('stderr', 'err\n');
    w.close();
    const first = JSON.parse(readFileSync(`${path}.1`, 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ log: 'one\n', stream: 'stdout' });
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const all = [];
    for await (const e of readJsonLog(path, { maxFiles: 3 })) all.push(e.log);
    expect(all).toEqual(['one\n', 'two\n', 'err\n']);
    const tail = [];
    for await (const e of readJsonLog(path, { tail: 1, maxFiles: 3 })) tail.push(e.log);
    expect(tail).toEqual(['err\n']);
    const out = [];
    for await (const e of readJsonLog(path, { stderr: false, maxFiles: 3 })) out.push(e.log);
    expect(out).toEqual(['one\n', 'two\n']);
    expect(existsSync(`${path}.1`)).toBe(true);
  });
});

describe('health checks', () => {
  it('CMD-SHELL runs through the shell; retries failures make it unhealthy; a success makes it healthy', async () => {
    const { probeOf, recordProbe } = await import('./health.js');
    const base = rec('a'.repeat(64), '/h');
    expect(probeOf(base)).toBeUndefined();
    const withHc: ContainerRecord = {
      ...base,
      Config: { Healthcheck: { Test: ['CMD-SHELL', 'test -f /ok'], Interval: 2e8, Retries: 2 } },
    };
    const p = probeOf(withHc)!;
    expect(p.args).toEqual(['/bin/sh', '-c', 'test -f /ok']);
    expect(p.intervalMs).toBe(200);
    expect(p.timeoutMs).toBe(30_000);
    const r = (code: number) => ({ Start: '', End: '', ExitCode: code, Output: '' });
    expect(recordProbe(withHc, r(1), p, false)).toBeUndefined();
    expect(recordProbe(withHc, r(1), p, false)).toBe('unhealthy');
    expect(recordProbe(withHc, r(0), p, false)).toBe('healthy');
    for (let i = 0; i < 6; i++) recordProbe(withHc, r(0), p, false);
    expect(withHc.State.Health?.Log).toHaveLength(5);
    expect(probeOf({ ...base, Config: { Healthcheck: { Test: ['NONE'] } } })).toBeUndefined();
  });
});
