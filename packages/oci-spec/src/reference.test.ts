import { describe, expect, it } from 'vitest';
import {
  familiarName,
  familiarString,
  InvalidReferenceError,
  isValidTag,
  parseReference,
  withTag,
} from './reference.js';

// Cases follow distribution/reference's documented behaviour (normalize_test.go, reference_test.go).

const F64 = 'f'.repeat(64);
const DBCC = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

function rejects(input: string, reason?: RegExp): void {
  let caught: unknown;
  try {
    parseReference(input);
  } catch (err) {
    caught = err;
  }
  expect(caught, input).toBeInstanceOf(InvalidReferenceError);
  expect((caught as InvalidReferenceError).code).toBe('EINVALIDREFERENCE');
  if (reason) expect((caught as InvalidReferenceError).reason).toMatch(reason);
}

describe('parseReference: Docker normalisation', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/docker/docker', 'docker.io/docker/docker:latest'],
    ['dmcgowan/myapp', 'docker.io/dmcgowan/myapp:latest'],
    ['docker.io/library/foo/bar', 'docker.io/library/foo/bar:latest'],
    [`redis@${DBCC}`, `docker.io/library/redis@${DBCC}`],
    [`dmcgowan/myapp@${DBCC}`, `docker.io/dmcgowan/myapp@${DBCC}`],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
    ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000/docker/docker:latest'],
    ['192.168.0.1', 'docker.io/library/192.168.0.1:latest'],
    ['192.168.0.1:80', 'docker.io/library/192.168.0.1:80'],
    ['[fc00::1]:5000/docker', '[fc00::1]:5000/docker:latest'],
    ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest'],
    ['test.com:5000', 'docker.io/library/test.com:5000'],
    ['lowercase:Uppercase', 'docker.io/library/lowercase:Uppercase'],
    ['Foo/bar', 'Foo/bar:latest'],
    ['FOO/bar', 'FOO/bar:latest'],
    ['dbcc1', 'docker.io/library/dbcc1:latest'],
    [DBCC.slice(7, 70), `docker.io/library/${DBCC.slice(7, 70)}:latest`],
    [
      'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest',
    ],
    [
      'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest',
    ],
  ])('%s → %s', (input, expected) => {
    expect(parseReference(input).toString()).toBe(expected);
  });

  it('keeps both tag and digest', () => {
    const ref = parseReference(
      `busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa`,
    );
    expect(ref.toString()).toBe(
      'docker.io/library/busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa',
    );
    expect(ref.tag).toBe('latest');
    expect(ref.digest).toBe('sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa');
    expect(familiarString(ref)).toBe(
      'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa',
    );
  });

  it('splits host:5000/a/b@sha256 into domain, path and digest, without a default tag', () => {
    const ref = parseReference(`host:5000/a/b@sha256:${F64}`);
    expect(ref).toMatchObject({
      domain: 'host:5000',
      path: 'a/b',
      name: 'host:5000/a/b',
      digest: `sha256:${F64}`,
    });
    expect(ref.tag).toBeUndefined();
  });

  it('accepts sha512 digests and IPv6 registries with tag and digest', () => {
    const sha512 = `sha512:${'f'.repeat(128)}`;
    const ref = parseReference(`xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`);
    expect(ref).toMatchObject({
      domain: 'xn--7o8h.com',
      path: 'myimage',
      tag: 'xn--7o8h.com',
      digest: sha512,
    });
    expect(parseReference(`[2001:db8::1]:5000/repo:tag@sha256:${F64}`)).toMatchObject({
      domain: '[2001:db8::1]:5000',
      path: 'repo',
      tag: 'tag',
    });
  });

  it('can leave the tag out', () => {
    expect(parseReference('busybox', { defaultTag: false }).toString()).toBe('docker.io/library/busybox');
  });

  it.each([
    // domain, path
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['foo', 'docker.io', 'library/foo'],
    ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux'],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app'],
    ['docker-rules/docker', 'docker.io', 'docker-rules/docker'],
    ['docker---rules/docker', 'docker.io', 'docker---rules/docker'],
    ['dock__er/docker', 'docker.io', 'dock__er/docker'],
    ['d/docker', 'docker.io', 'd/docker'],
  ])('%s has domain %s and path %s', (input, domain, path) => {
    const ref = parseReference(input);
    expect(ref.domain).toBe(domain);
    expect(ref.path).toBe(path);
  });

  it.each([
    ['fooo/bar', 'fooo/bar', 'docker.io/fooo/bar'],
    ['library/ubuntu', 'ubuntu', 'docker.io/library/ubuntu'],
    ['nonlibrary/ubuntu', 'nonlibrary/ubuntu', 'docker.io/nonlibrary/ubuntu'],
    ['other/library', 'other/library', 'docker.io/other/library'],
    ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase'],
    ['example.com:8000/privatebasee', 'example.com:8000/privatebasee', 'example.com:8000/privatebasee'],
    ['ubuntu-12.04-base', 'ubuntu-12.04-base', 'docker.io/library/ubuntu-12.04-base'],
    ['index.docker.io/library/ubuntu-12.04-base', 'ubuntu-12.04-base', 'docker.io/library/ubuntu-12.04-base'],
    ['docker.io/foo', 'foo', 'docker.io/library/foo'],
    ['library/foo/bar', 'library/foo/bar', 'docker.io/library/foo/bar'],
    ['store/foo/bar', 'store/foo/bar', 'docker.io/store/foo/bar'],
    ['Foo/bar', 'Foo/bar', 'Foo/bar'],
  ])('%s has familiar name %s and full name %s', (input, familiar, full) => {
    const ref = parseReference(input);
    expect(familiarName(ref)).toBe(familiar);
    expect(ref.name).toBe(full);
    // The familiar and full names parse back to the same repository.
    expect(parseReference(familiar).name).toBe(full);
    expect(parseReference(full).name).toBe(full);
  });
});

describe('parseReference: rejections', () => {
  it.each([
    ['', /at least one component/],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', /64-byte hexadecimal/],
    ['Uppercase:tag', /lowercase/],
    ['docker/Docker', /lowercase/],
    ['docker.io/docker/Docker', /lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /lowercase/],
    [':justtag', /invalid reference format/],
    [`@sha256:${F64}`, /invalid reference format/],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', /digest length/],
    [`validname@invaliddigest:${F64}`, /unsupported digest algorithm/],
    [`repo@sha256:${'F'.repeat(64)}`, /digest format/],
    ['aa/asdf$$^/aa', /invalid reference format/],
    ['https://github.com/docker/docker', /invalid reference format/],
    ['-docker', /invalid reference format/],
    ['-docker/docker', /invalid reference format/],
    ['docker-/docker', /invalid reference format/],
    ['-docker.io/docker/docker', /invalid reference format/],
    ['docker///docker', /invalid reference format/],
    ['docker.io/docker///docker', /invalid reference format/],
    ['____/____', /invalid reference format/],
    ['_docker/_docker', /invalid reference format/],
    ['dock..er/docker', /invalid reference format/],
    ['dock_.er/docker', /invalid reference format/],
    ['dock-.er/docker', /invalid reference format/],
    ['docker/', /invalid reference format/],
    ['[fc00::1]', /invalid reference format/],
    ['[fc00::1]:5000', /invalid reference format/],
    ['fc00::1:5000/debian', /invalid reference format/],
    ['[fe80::1%eth0]:5000/debian', /invalid reference format/],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', /invalid reference format/],
    [`${'a/'.repeat(128)}a:tag`, /255 characters/],
    [`this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_${'x'.repeat(200)}/docker`, /255/],
  ])('rejects %j', (input, reason) => {
    rejects(input, reason);
  });

  it('accepts a name of exactly 255 characters', () => {
    const name = `example.com/${'a/'.repeat(121)}a`;
    expect(name).toHaveLength(255);
    expect(parseReference(`${name}:tag-puts-this-over-max`).name).toBe(name);
    rejects(`${name}a`, /255 characters/);
  });
});

describe('tags', () => {
  it('validates tags and replaces them', () => {
    expect(isValidTag('v1.0_rc-2')).toBe(true);
    expect(isValidTag('-foo')).toBe(false);
    expect(isValidTag('a'.repeat(129))).toBe(false);
    const ref = withTag(parseReference(`busybox@${DBCC}`), 'musl');
    expect(ref.toString()).toBe('docker.io/library/busybox:musl');
    expect(() => withTag(ref, '-foo')).toThrow(InvalidReferenceError);
  });
});
