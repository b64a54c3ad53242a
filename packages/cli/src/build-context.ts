// The build context as docker's legacy builder sends it: a tar of the context directory without what
// .dockerignore excludes; the Dockerfile and .dockerignore themselves are always sent.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import ignoreModule from '@balena/dockerignore';
import * as tar from 'tar';
import { CliError } from './errors.js';

interface Ignore {
  add(patterns: string[]): Ignore;
  ignores(path: string): boolean;
}
// The package is CommonJS (module.exports = factory) while its typings declare a default export.
const ignore = ignoreModule as unknown as () => Ignore;

/** The .dockerignore patterns of a context directory (comments and blank lines dropped). */
export function readDockerignore(dir: string): string[] {
  let text: string;
  try {
    text = readFileSync(resolve(dir, '.dockerignore'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** A predicate: true when the context-relative path is sent. */
export function contextFilter(patterns: string[], dockerfile: string): (rel: string) => boolean {
  const ig = ignore().add(patterns);
  const keep = new Set([dockerfile, '.dockerignore']);
  return (rel) => {
    const p = rel.replace(/^\.\//, '').split(sep).join('/');
    if (p === '' || p === '.' || keep.has(p)) return true;
    return !ig.ignores(p);
  };
}

/** Tars the context; returns the stream and the Dockerfile path relative to the context. */
export function contextTar(
  dir: string,
  dockerfileFlag: string | undefined,
): { tar: Readable; dockerfile: string } {
  const root = resolve(dir);
  const dockerfilePath = dockerfileFlag ? resolve(dockerfileFlag) : resolve(root, 'Dockerfile');
  const rel = relative(root, dockerfilePath);
  if (rel.startsWith('..')) {
    throw new CliError(`the Dockerfile (${dockerfileFlag}) must be within the build context (${dir})`, 1);
  }
  const dockerfile = rel.split(sep).join('/');
  const keep = contextFilter(readDockerignore(root), dockerfile);
  const stream = tar.c({ cwd: root, portable: true, filter: (path) => keep(path) }, ['.']);
  return { tar: stream as unknown as Readable, dockerfile };
}
