import { describe, expect, it } from 'vitest';
import { DockerIgnore, globToRegExp } from './dockerignore.js';

describe('DockerIgnore (Docker pattern rules)', () => {
  const ig = DockerIgnore.parse(
    [
      '# comment',
      '',
      '*.log',
      '/secret',
      'tmp/',
      'docs/**/*.md',
      '!docs/keep/README.md',
      '**/node_modules',
      'a?c',
      '[xy].txt',
    ].join('\n'),
  );

  it.each([
    ['app.log', true],
    ['sub/app.log', false], // * does not cross directories
    ['secret', true],
    ['secret/inner/file', true], // a matched directory excludes what is in it
    ['tmp/x', true],
    ['tmpfile', false],
    ['docs/a.md', true],
    ['docs/x/y/z.md', true],
    ['docs/keep/README.md', false], // exception
    ['docs/keep/other.md', true],
    ['node_modules/x', true],
    ['deep/in/node_modules/y', true],
    ['abc', true],
    ['abbc', false],
    ['x.txt', true],
    ['z.txt', false],
    ['src/main.ts', false],
  ])('%s ignored=%s', (path, want) => {
    expect(ig.ignores(path)).toBe(want);
  });

  it('the last matching pattern wins', () => {
    const a = DockerIgnore.parse('*\n!keep\n');
    expect(a.ignores('x')).toBe(true);
    expect(a.ignores('keep')).toBe(false);
    const b = DockerIgnore.parse('!keep\n*\n');
    expect(b.ignores('keep')).toBe(true);
  });

  it('re-includes a file below an excluded directory', () => {
    const ig2 = DockerIgnore.parse('build\n!build/out/app\n');
    expect(ig2.ignores('build/tmp')).toBe(true);
    expect(ig2.ignores('build/out/app')).toBe(false);
    expect(ig2.mayIncludeBelow('build')).toBe(true);
    expect(ig2.mayIncludeBelow('other')).toBe(false);
  });

  it('** alone matches everything; leading ./ and trailing / are cleaned', () => {
    expect(DockerIgnore.parse('**').ignores('a/b/c')).toBe(true);
    expect(DockerIgnore.parse('./a/').ignores('a/b')).toBe(true);
    expect(globToRegExp('a/**/b').test('a/b')).toBe(true);
    expect(globToRegExp('a/**/b').test('a/x/y/b')).toBe(true);
  });
});
