import { describe, expect, it } from 'vitest';
import { BuildQuery } from './build.js';
import { ContainerCreate } from './container.js';
import { ExecCreate } from './exec.js';
import { QueryBool, QueryFilters } from './query.js';

describe('request schemas', () => {
  it('Cmd, Entrypoint and Shell take a string or an array (strslice)', () => {
    const c = ContainerCreate.parse({ Image: 'busybox', Cmd: 'echo hi', Entrypoint: ['/bin/sh', '-c'] });
    expect(c.Cmd).toEqual(['echo hi']);
    expect(c.Entrypoint).toEqual(['/bin/sh', '-c']);
  });

  it('drops unknown fields and rejects wrong types, non-integers and unknown enum values', () => {
    expect(ContainerCreate.parse({ Image: 'x', Bogus: 1 })).toEqual({ Image: 'x' });
    expect(ContainerCreate.safeParse({ HostConfig: { Memory: 1.5 } }).success).toBe(false);
    expect(ContainerCreate.safeParse({ HostConfig: { RestartPolicy: { Name: 'sometimes' } } }).success).toBe(
      false,
    );
    expect(ContainerCreate.safeParse({ Tty: 'yes' }).success).toBe(false);
  });

  it('exec create needs a command', () => {
    expect(ExecCreate.safeParse({ Cmd: [] }).success).toBe(false);
    expect(ExecCreate.parse({ Cmd: ['ls'], Tty: true })).toEqual({ Cmd: ['ls'], Tty: true });
  });

  it('build query: repeated t, JSON buildargs and labels, rm defaults to true', () => {
    const q = BuildQuery.parse({ t: ['a', 'b'], buildargs: '{"X":"1","Y":null}', labels: '{"l":"v"}' });
    expect(q.t).toEqual(['a', 'b']);
    expect(q.buildargs).toEqual({ X: '1', Y: null });
    expect(q.labels).toEqual({ l: 'v' });
    expect(q.rm).toBe(true);
    expect(BuildQuery.parse({ rm: '0' }).rm).toBe(false);
    expect(BuildQuery.safeParse({ buildargs: '{' }).success).toBe(false);
  });
});

describe('query values', () => {
  it('booleans read like dockerd: "", 0, no, false, none are false', () => {
    for (const v of ['', '0', 'no', 'false', 'FALSE', 'none']) expect(QueryBool.parse(v)).toBe(false);
    for (const v of ['1', 'true', 'yes', 'True']) expect(QueryBool.parse(v)).toBe(true);
    expect(QueryBool.parse(undefined)).toBe(false);
  });

  it('filters: array form, legacy map form, empty; anything else is an error', () => {
    expect(QueryFilters.parse('{"label":["a=b"]}')).toEqual({ label: ['a=b'] });
    expect(QueryFilters.parse('{"status":{"running":true,"exited":false}}')).toEqual({ status: ['running'] });
    expect(QueryFilters.parse(undefined)).toEqual({});
    expect(QueryFilters.safeParse('[1]').success).toBe(false);
    expect(QueryFilters.safeParse('{"x":5}').success).toBe(false);
  });
});
