// berthd on tcp:// with mutual TLS (dockerd's --tlsverify): the docker CLI with a client certificate
// signed by the CA gets in; without one it does not.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@berth/test-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupAll,
  DOCKER,
  startDaemon,
  stopDaemon,
  type TestDaemon,
  tempDir,
  uniqueCgroupParent,
} from './harness.js';

let dir: string;
let cgroupParent: string;
let d: TestDaemon | undefined;
let port: number;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as the dockerd docs make them. */
function makeCerts(): void {
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=berth-test-ca',
  ]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n');
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server-key.pem',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-out',
    'server-cert.pem',
    '-days',
    '1',
    '-extfile',
    'server.ext',
  ]);
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'client.csr',
    '-subj',
    '/CN=berth-client',
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-out',
    'cert.pem',
    '-days',
    '1',
    '-extfile',
    'client.ext',
  ]);
}

beforeAll(async () => {
  dir = tempDir();
  cgroupParent = uniqueCgroupParent();
  makeCerts();
  // The port is free when picked, but another process (any outgoing connection of the tests running
  // beside this one) can take it before berthd binds it: pick another and try again.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      d = await startDaemon(dir, cgroupParent, [
        '-H',
        `tcp://127.0.0.1:${port}`,
        '--tlsverify',
        '--tlscacert',
        join(dir, 'ca.pem'),
        '--tlscert',
        join(dir, 'server-cert.pem'),
        '--tlskey',
        join(dir, 'server-key.pem'),
      ]);
      break;
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
}, 60_000);

afterAll(async () => {
  try {
    if (d) await stopDaemon(d);
  } finally {
    await cleanupAll(d, dir, cgroupParent);
  }
}, 60_000);

const tcpDocker = (args: string[]) =>
  spawnSync(DOCKER, ['-H', `tcp://127.0.0.1:${port}`, ...args], {
    env: { ...process.env, DOCKER_CONFIG: join(dir, 'docker-config') },
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });

describe('berthd with --tlsverify', () => {
  it('answers a client with a certificate from the CA and refuses one without', () => {
    const ok = tcpDocker([
      '--tlsverify',
      '--tlscacert',
      join(dir, 'ca.pem'),
      '--tlscert',
      join(dir, 'cert.pem'),
      '--tlskey',
      join(dir, 'key.pem'),
      'version',
      '--format',
      '{{.Server.Version}}',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const anonymous = tcpDocker([
      '--tlsverify',
      '--tlscacert',
      join(dir, 'ca.pem'),
      'version',
      '--format',
      '{{.Server.Version}}',
    ]);
    expect(anonymous.status).not.toBe(0);
    const plain = tcpDocker(['version', '--format', '{{.Server.Version}}']);
    expect(plain.status).not.toBe(0);
  });
});
