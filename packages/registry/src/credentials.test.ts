import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerConfigCredentials, dockerConfigPath } from './credentials.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-dockercfg-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('dockerConfigCredentials', () => {
  it('reads base64 auth, username/password and identitytoken entries by host', async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
          'https://reg.example:5000/v2/': { username: 'u', password: 'p' },
          'tok.example': { identitytoken: 'refresh-me', auth: b64('tu:') },
        },
        HttpHeaders: { 'X-Other': 'kept' },
      }),
    );
    const source = dockerConfigCredentials({ configDir: dir });
    expect(await source('docker.io')).toEqual({ username: 'hubuser', password: 'hub:pass' });
    expect(await source('reg.example:5000')).toEqual({ username: 'u', password: 'p' });
    expect(await source('tok.example')).toEqual({ username: 'tu', identityToken: 'refresh-me' });
    expect(await source('other.example')).toBeUndefined();
  });

  it('follows DOCKER_CONFIG and treats a missing file as no credentials', async () => {
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = join(dir, 'nowhere');
    try {
      expect(dockerConfigPath()).toBe(join(dir, 'nowhere', 'config.json'));
      expect(await dockerConfigCredentials()('docker.io')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  });

  it('throws EINVALID naming the file for a broken auth field', async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { 'r.example': { auth: b64('nocolon') } } }),
    );
    await expect(dockerConfigCredentials({ configDir: dir })('r.example')).rejects.toMatchObject({
      code: 'EINVALID',
      message: expect.stringContaining('config.json'),
    });
  });

  it('asks a credential helper named in credHelpers', async () => {
    const bin = join(dir, 'bin');
    const { mkdirSync, chmodSync } = await import('node:fs');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'docker-credential-berthtest'),
      '#!/bin/sh\nread url\necho "{\\"ServerURL\\":\\"$url\\",\\"Username\\":\\"helper\\",\\"Secret\\":\\"s-$url\\"}"\n',
    );
    chmodSync(join(bin, 'docker-credential-berthtest'), 0o755);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'h.example': 'berthtest' } }));
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      expect(await dockerConfigCredentials({ configDir: dir })('h.example')).toEqual({
        username: 'helper',
        password: 's-h.example',
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
