import { describe, expect, it } from 'vitest';
import { ImageConfig } from '../image/config.js';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { DockerImageConfig } from './config.js';

const example = () =>
  clone(readFixture('spec-examples/docker-image-config.json')) as Record<string, unknown> & {
    config: Record<string, unknown>;
  };

describe('DockerImageConfig', () => {
  it('accepts a Docker-built image config and keeps Healthcheck, OnBuild and Shell', () => {
    const c = DockerImageConfig.parse(example());
    expect(c.config?.Healthcheck?.Retries).toBe(3);
    expect(c.config?.OnBuild).toEqual(['RUN echo built']);
    expect(c.config?.Shell).toEqual(['/bin/sh', '-c']);
    expect(c.docker_version).toBe('20.10.23');
  });

  it('is also a valid OCI image config (the Docker fields are dropped there)', () => {
    const c = ImageConfig.parse(example());
    expect(c.config).not.toHaveProperty('Healthcheck');
  });

  it('rejects a Healthcheck interval that is not an integer of nanoseconds', () => {
    const doc = example();
    doc.config.Healthcheck = { Test: ['NONE'], Interval: '30s' };
    expectInvalid(DockerImageConfig, doc, 'config.Healthcheck.Interval');
  });
});
