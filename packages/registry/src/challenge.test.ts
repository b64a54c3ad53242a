import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenge.js';

describe('parseChallenges', () => {
  it('parses a bearer challenge with quoted realm, service and scope', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        },
      },
    ]);
  });

  it('parses several challenges, token values, escapes and odd spacing', () => {
    expect(parseChallenges('Basic realm="a \\"b\\"" , Bearer realm="r", error=insufficient_scope')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'r', error: 'insufficient_scope' } },
    ]);
  });

  it('accepts a scheme with no parameters and lowercases names', () => {
    expect(parseChallenges('Negotiate, BASIC Realm="x"')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('throws EINVALID on an unterminated quoted string', () => {
    expect(() => parseChallenges('Bearer realm="oops')).toThrow(
      expect.objectContaining({ code: 'EINVALID' }),
    );
  });
});
