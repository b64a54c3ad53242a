import { describe, expect, it } from 'vitest';
import { BuildError } from './errors.js';
import { parseBuildQuery } from './query.js';

describe('parseBuildQuery (POST /build)', () => {
  it('maps Docker query parameters to build options', () => {
    const q = new URLSearchParams();
    q.append('t', 'app:1');
    q.append('t', 'app:latest');
    q.set('dockerfile', 'sub/Dockerfile.dev');
    q.set('buildargs', JSON.stringify({ A: '1', B: null }));
    q.set('labels', JSON.stringify({ l: 'v' }));
    q.set('target', 'final');
    q.set('nocache', '1');
    q.set('pull', 'true');
    q.set('networkmode', 'host');
    q.set('q', '1');
    q.set('rm', '1');
    expect(parseBuildQuery(q)).toEqual({
      quiet: true,
      options: {
        dockerfile: 'sub/Dockerfile.dev',
        tags: ['app:1', 'app:latest'],
        buildArgs: { A: '1', B: null },
        labels: { l: 'v' },
        target: 'final',
        noCache: true,
        pull: true,
        networkMode: 'host',
      },
    });
    expect(parseBuildQuery({ t: 'x' }).options.tags).toEqual(['x']);
    expect(
      parseBuildQuery({ memory: '67108864', cpushares: '512', shmsize: '1048576' }).options.limits,
    ).toEqual({
      memory: 67108864,
      cpuShares: 512,
      shmSize: 1048576,
    });
  });

  it('refuses bad JSON, remote contexts and BuildKit sessions clearly', () => {
    expect(() => parseBuildQuery({ buildargs: '{' })).toThrow(/buildargs is not JSON/);
    expect(() => parseBuildQuery({ remote: 'https://x/y.git' })).toThrow(BuildError);
    expect(() => parseBuildQuery({ version: '2' })).toThrow(/BuildKit/);
  });
});
