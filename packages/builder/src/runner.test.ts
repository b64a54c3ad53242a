import { describe, expect, it } from 'vitest';
import { DOCKER_DEFAULT_CAPS, stepSpec } from './runner.js';

const base = {
  id: 'berth-build-x',
  rootfs: '/tmp/rootfs',
  args: ['/bin/sh', '-c', 'true'],
  env: ['PATH=/bin'],
  cwd: '/app',
  user: { uid: 1000, gid: 1000, additionalGids: [27] },
  hostname: 'berth-build-x',
  onOutput: () => {},
};

describe('stepSpec (the config.json of a RUN step)', () => {
  it('runs the step as its user in its workdir with Docker default capabilities and no network', () => {
    const spec = stepSpec({ ...base, network: 'none' });
    expect(spec.process).toMatchObject({
      args: ['/bin/sh', '-c', 'true'],
      cwd: '/app',
      terminal: false,
      user: { uid: 1000, gid: 1000, additionalGids: [27] },
      noNewPrivileges: false,
      capabilities: { bounding: DOCKER_DEFAULT_CAPS },
    });
    expect(spec.root).toEqual({ path: '/tmp/rootfs', readonly: false });
    expect(spec.linux?.namespaces?.map((n) => n.type)).toContain('network');
    expect(stepSpec({ ...base, network: 'host' }).linux?.namespaces?.map((n) => n.type)).not.toContain(
      'network',
    );
  });

  it('carries docker build limits into the cgroup and /dev/shm', () => {
    const spec = stepSpec(
      {
        ...base,
        network: 'none',
        limits: { memory: 64 << 20, cpuShares: 512, cpuQuota: 50_000, cpusetCpus: '0', shmSize: 8 << 20 },
      },
      '/berth-build-test',
    );
    expect(spec.linux?.resources?.memory).toEqual({ limit: 64 << 20 });
    expect(spec.linux?.resources?.cpu).toEqual({ shares: 512, quota: 50_000, cpus: '0' });
    expect(spec.linux?.cgroupsPath).toBe('/berth-build-test/berth-build-x');
    expect(spec.mounts?.find((m) => m.destination === '/dev/shm')?.options).toContain('size=8192k');
  });
});
