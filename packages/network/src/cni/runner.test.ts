// The CNI runner against small fake plugins (shell scripts that log what they were given) and
// the real Debian plugins' VERSION: env and stdin per the spec, prevResult chaining, DEL in
// reverse with the cached result after a "restart", rollback of a failed ADD, errors naming
// the plugin and its CNI code.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CniError } from '../errors.js';
import { tempDir } from '../test-support.js';
import { CniRunner } from './runner.js';
import type { CniConfList } from './types.js';

let dir: string;
let bin: string;
let log: string;

/** A plugin that appends "<type> <command> <env> <stdin>" to the log and prints a result naming itself. */
function fakePlugin(type: string, behaviour: 'ok' | 'fail' | 'garbage' = 'ok'): void {
  const out =
    behaviour === 'fail'
      ? `[ "$CNI_COMMAND" = ADD ] || exit 0; echo '{"cniVersion":"1.0.0","code":7,"msg":"bad ${type} config","details":"field x"}'; exit 1`
      : behaviour === 'garbage'
        ? 'echo not-json'
        : `[ "$CNI_COMMAND" = ADD ] && echo '{"cniVersion":"1.0.0","interfaces":[{"name":"'$CNI_IFNAME'","sandbox":"'$CNI_NETNS'","mac":"aa:bb:cc:dd:ee:ff"}],"ips":[{"address":"10.9.0.${type.length}/24","gateway":"10.9.0.1","interface":0}],"tag":"${type}"}'; exit 0`;
  writeFileSync(
    join(bin, type),
    `#!/bin/sh\nin=$(cat)\nprintf '%s\\n' "${type} $CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS $in" >> ${log}\n${out}\n`,
  );
  chmodSync(join(bin, type), 0o755);
}

function logLines(): { type: string; command: string; stdin: Record<string, unknown>; env: string[] }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const brace = l.indexOf('{');
      const head = l.slice(0, brace).trim().split(' ');
      return { type: head[0]!, command: head[1]!, env: head.slice(2), stdin: JSON.parse(l.slice(brace)) };
    });
}

const list = (types: string[]): CniConfList => ({
  cniVersion: '1.0.0',
  name: 'berth-fake',
  plugins: types.map((type) => ({ type, capabilities: { portMappings: true }, extra: type })),
});

const rt = { containerId: 'berth-c1', netns: '/run/netns/x', ifName: 'eth0', args: [['K', 'V']] as const };

beforeEach(() => {
  dir = tempDir('cni');
  bin = join(dir, 'bin');
  mkdirSync(bin);
  log = join(dir, 'log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CniRunner', () => {
  it('ADD runs plugins in order with CNI_* env, name/cniVersion on stdin, prevResult chained, runtimeConfig from capabilities', async () => {
    fakePlugin('first');
    fakePlugin('second');
    const r = new CniRunner({ binDirs: [join(dir, 'nothing-here'), bin], cacheDir: join(dir, 'cache') });
    const result = await r.add(list(['first', 'second']), {
      ...rt,
      capabilityArgs: { portMappings: [{ hostPort: 1 }], other: 1 },
    });
    expect(result).toMatchObject({ tag: 'second', ips: [{ address: '10.9.0.6/24' }] });
    const lines = logLines();
    expect(lines.map((l) => `${l.type} ${l.command}`)).toEqual(['first ADD', 'second ADD']);
    expect(lines[0]!.env).toEqual(['berth-c1', '/run/netns/x', 'eth0', 'K=V']);
    expect(lines[0]!.stdin).toMatchObject({
      name: 'berth-fake',
      cniVersion: '1.0.0',
      type: 'first',
      extra: 'first',
    });
    expect(lines[0]!.stdin.prevResult).toBeUndefined();
    expect(lines[0]!.stdin.runtimeConfig).toEqual({ portMappings: [{ hostPort: 1 }] });
    expect(lines[1]!.stdin.prevResult).toMatchObject({ tag: 'first' });
    expect(r.cached('berth-fake', 'berth-c1', 'eth0')?.result).toMatchObject({ tag: 'second' });
  });

  it('DEL after a restart runs in reverse with the cached config and result, then drops the cache', async () => {
    fakePlugin('first');
    fakePlugin('second');
    const cacheDir = join(dir, 'cache');
    await new CniRunner({ binDirs: [bin], cacheDir }).add(list(['first', 'second']), rt);
    const again = new CniRunner({ binDirs: [bin], cacheDir });
    const [entry] = again.listCached();
    expect(entry).toMatchObject({ kind: 'cniCacheV1', containerId: 'berth-c1', networkName: 'berth-fake' });
    await again.delCached(entry!);
    const dels = logLines().filter((l) => l.command === 'DEL');
    expect(dels.map((l) => l.type)).toEqual(['second', 'first']);
    expect(dels[0]!.stdin.prevResult).toMatchObject({ tag: 'second' });
    expect(again.listCached()).toEqual([]);
  });

  it('CHECK passes the cached result to every plugin in order', async () => {
    fakePlugin('first');
    fakePlugin('second');
    const r = new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache') });
    await r.add(list(['first', 'second']), rt);
    await r.check(list(['first', 'second']), rt);
    const checks = logLines().filter((l) => l.command === 'CHECK');
    expect(checks.map((l) => l.type)).toEqual(['first', 'second']);
    expect(checks[0]!.stdin.prevResult).toMatchObject({ tag: 'second' });
  });

  it('a failing plugin: the error names it with its CNI code and msg, and the ADD is undone', async () => {
    fakePlugin('first');
    fakePlugin('broken', 'fail');
    const r = new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache') });
    const err = await r.add(list(['first', 'broken']), rt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({
      plugin: 'broken',
      command: 'ADD',
      cniCode: 7,
      cniMsg: 'bad broken config',
      details: 'field x',
    });
    expect((err as Error).message).toBe('CNI plugin broken ADD failed (code 7): bad broken config (field x)');
    expect(logLines().map((l) => `${l.type} ${l.command}`)).toEqual([
      'first ADD',
      'broken ADD',
      'broken DEL',
      'first DEL',
    ]);
    expect(r.listCached()).toEqual([]);
  });

  it('a missing plugin and a plugin printing garbage are CniErrors with code 999', async () => {
    fakePlugin('garbage', 'garbage');
    const r = new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache') });
    await expect(r.add(list(['absent']), rt)).rejects.toMatchObject({ plugin: 'absent', cniCode: 999 });
    await expect(r.add(list(['garbage']), rt)).rejects.toMatchObject({ plugin: 'garbage', cniCode: 999 });
    await expect(r.add(list(['first']), { ...rt, containerId: '../evil' })).rejects.toMatchObject({
      code: 'EINVALID',
    });
  });

  it("VERSION of Debian's bridge plugin lists 1.0.0", async () => {
    const r = new CniRunner({ binDirs: ['/usr/lib/cni'], cacheDir: join(dir, 'cache') });
    expect((await r.version('bridge')).supportedVersions).toContain('1.0.0');
  });
});
