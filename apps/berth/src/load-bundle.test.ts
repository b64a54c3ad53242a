import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleCacheKey, compileCacheDir, loadBundle } from './load-bundle.js';

interface Fake {
  value: number;
  url: string;
  file: string;
  hasRequire: boolean;
}

let dir: string;
let bundle: string;
let cacheDir: string;

const source = (value: number) =>
  `"use strict";\nexports.value = ${value};\nexports.url = __berthImportMetaUrl;\nexports.file = __filename;\n` +
  `exports.hasRequire = typeof require('node:path').join === 'function';\n` +
  `function notRunAtLoad() { return ${value} * 2; }\nexports.later = notRunAtLoad;\n`;
const writeTmp = (name: string, time: number) => {
  writeFileSync(join(cacheDir, name), 'x');
  utimesSync(join(cacheDir, name), time, time);
};
const cacheFiles = () => readdirSync(cacheDir).filter((n) => n.endsWith('.v8cache'));
const load = (label?: string) => loadBundle<Fake>(bundle, cacheDir, label);
const buildKey = () => bundleCacheKey(readFileSync(bundle)).toString('hex').slice(0, 16);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-load-bundle-'));
  bundle = join(dir, 'fake-cli.cjs');
  cacheDir = join(dir, 'cache');
  writeFileSync(bundle, source(42));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadBundle', () => {
  it('runs the CommonJS bundle with require, __filename and import.meta.url as the bundle', () => {
    const b = loadBundle<Fake>(bundle, undefined);
    expect(b.cache).toBe('disabled');
    expect(b.exports).toMatchObject({ value: 42, file: bundle, hasRequire: true });
    expect(b.exports.url).toBe(pathToFileURL(bundle).href);
    b.persist();
  });

  it('compiles without a cache, writes one (0600 in a 0700 directory) after the run, then uses it', () => {
    const first = load();
    expect(first.cache).toBe('missing');
    expect(first.exports.value).toBe(42);
    first.persist();
    expect(cacheFiles()).toHaveLength(1);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir, cacheFiles()[0]!)).mode & 0o777).toBe(0o600);
    const second = load();
    expect(second.cache).toBe('accepted');
    expect(second.exports.value).toBe(42);
    second.persist(); // nothing to write
    expect(cacheFiles()).toHaveLength(1);
  });

  it('never applies the cache of another source, even of the same length', () => {
    load().persist();
    writeFileSync(bundle, source(43)); // same length: V8's own check would not notice
    const b = load();
    expect(b.cache).toBe('missing');
    expect(b.exports.value).toBe(43);
    b.persist();
    expect(load().cache).toBe('accepted');
    expect(load().exports.value).toBe(43);
  });

  it('keeps one cache per label, so each command gets the functions it runs', () => {
    load('help').persist();
    expect(load('run').cache).toBe('missing');
    load('run').persist();
    expect(cacheFiles().sort()).toEqual([
      `fake-cli-${buildKey()}-help.v8cache`,
      `fake-cli-${buildKey()}-run.v8cache`,
    ]);
    expect(load('run').cache).toBe('accepted');
    expect(load('../x').cache).toBe('missing'); // an odd label is 'other', never a path
    load('../x').persist();
    expect(cacheFiles()).toContain(`fake-cli-${buildKey()}-other.v8cache`);
  });

  it('keeps the caches of the two builds used last before this one, and removes older ones', () => {
    const mtimes = new Map<string, number>();
    const now = Date.now() / 1000;
    // v10 was used last (newest), then v13, v12, v11
    const age: Record<number, number> = { 10: 1, 11: -30, 12: -20, 13: -10 };
    for (let v = 10; v < 14; v++) {
      writeFileSync(bundle, source(v));
      load('run').persist();
      load('ps').persist();
      mtimes.set(buildKey(), now + age[v]!);
      for (const n of cacheFiles().filter((f) => f.includes(buildKey())))
        utimesSync(join(cacheDir, n), now + age[v]!, now + age[v]!);
    }
    const keys = [...mtimes.keys()];
    writeTmp('.fake-cli-stale.1.2.tmp', now - 3600);
    writeTmp('.fake-cli-fresh.1.2.tmp', now);
    writeFileSync(bundle, source(14));
    load('run').persist();
    const builds = new Set(cacheFiles().map((n) => n.split('-')[2]));
    expect(builds).toEqual(new Set([buildKey(), keys[0], keys[3]]));
    expect(cacheFiles().filter((n) => n.includes(keys[0]!))).toHaveLength(2);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tmp'))).toEqual(['.fake-cli-fresh.1.2.tmp']);
  });

  it('ignores a damaged cache file and writes a good one', () => {
    load().persist();
    const file = join(cacheDir, cacheFiles()[0]!);
    const data = readFileSync(file);
    data[data.length - 10]! ^= 0xff;
    writeFileSync(file, data);
    const b = load();
    expect(b.cache).toBe('missing');
    expect(b.exports.value).toBe(42);
    b.persist();
    expect(load().cache).toBe('accepted');
    writeFileSync(file, data.subarray(0, 30)); // truncated
    expect(load().cache).toBe('missing');
  });

  it('reports data V8 refuses as rejected, and replaces it', () => {
    // a well-formed file of ours whose payload V8 cannot use; made by hand, so that V8 has not compiled
    // this script in this process yet (its in-memory compilation cache would answer first)
    const key = bundleCacheKey(readFileSync(bundle));
    const payload = Buffer.alloc(64, 7);
    mkdirSync(cacheDir, { mode: 0o700 });
    const file = join(cacheDir, `fake-cli-${key.toString('hex').slice(0, 16)}-main.v8cache`);
    const sum = createHash('sha1').update(payload).digest();
    writeFileSync(file, Buffer.concat([Buffer.from('BERTHCC1'), key, sum, payload]), { mode: 0o600 });
    const b = load();
    expect(b.cache).toBe('rejected');
    expect(b.exports.value).toBe(42);
    b.persist();
    expect(readFileSync(file).length).toBeGreaterThan(200);
    expect(load().cache).toBe('accepted');
  });

  it('uses no cache file that others may write or that belongs to another user', () => {
    load().persist();
    const file = join(cacheDir, cacheFiles()[0]!);
    chmodSync(file, 0o666);
    expect(load().cache).toBe('missing');
    chmodSync(file, 0o600);
    expect(load().cache).toBe('accepted');
    if (process.getuid?.() === 0) {
      chownSync(file, 65534, 65534);
      expect(load().cache).toBe('missing');
      chownSync(file, 0, 0);
    }
    chmodSync(cacheDir, 0o777);
    const b = load();
    expect(b.cache).toBe('missing');
    rmSync(file);
    b.persist(); // the directory is not trusted: nothing written
    expect(cacheFiles()).toHaveLength(0);
  });

  it('does not create the cache directory under a directory others may write', () => {
    const open = join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    cacheDir = join(open, 'a', 'berth');
    const b = load();
    b.persist();
    expect(readdirSync(open)).toEqual([]);
  });
});

describe('compileCacheDir', () => {
  it('takes BERTH_COMPILE_CACHE, then XDG_CACHE_HOME/berth, then HOME/.cache/berth; none when disabled', () => {
    expect(compileCacheDir({ BERTH_COMPILE_CACHE: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/berth');
    expect(compileCacheDir({ HOME: '/h' })).toBe('/h/.cache/berth');
    expect(compileCacheDir({})).toBeUndefined();
    expect(compileCacheDir({ BERTH_DISABLE_COMPILE_CACHE: '1', HOME: '/h' })).toBeUndefined();
  });
});
