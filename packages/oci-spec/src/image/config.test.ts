import { describe, expect, it } from 'vitest';
import { expectInvalid } from '../test-support/expect-invalid.js';
import { clone, readFixture } from '../test-support/fixtures.js';
import { ImageConfig } from './config.js';

type Doc = Record<string, unknown> & { config: Record<string, unknown>; rootfs: Record<string, unknown> };
const example = () => clone(readFixture('spec-examples/oci-image-config.json')) as Doc;

describe('ImageConfig', () => {
  it("accepts the spec's image config example", () => {
    const c = ImageConfig.parse(example());
    expect(c.config?.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(c.history?.[1]?.empty_layer).toBe(true);
  });

  it('accepts null Entrypoint, Cmd, Volumes and Labels (Go nil)', () => {
    const doc = example();
    Object.assign(doc.config, { Entrypoint: null, Cmd: null, Volumes: null, Labels: null });
    expect(ImageConfig.safeParse(doc).success).toBe(true);
  });

  it('rejects a created time that is not RFC 3339', () => {
    expectInvalid(ImageConfig, { ...example(), created: '31 Oct 2015' }, 'created', /RFC 3339/);
  });

  it('rejects rootfs.type other than layers', () => {
    const doc = example();
    doc.rootfs.type = 'tar';
    expectInvalid(ImageConfig, doc, 'rootfs.type');
  });

  it('rejects a string Cmd and a missing architecture', () => {
    const doc = example();
    doc.config.Cmd = 'sh';
    expectInvalid(ImageConfig, doc, 'config.Cmd');
    const doc2 = example();
    delete doc2.architecture;
    expectInvalid(ImageConfig, doc2, 'architecture');
  });
});
