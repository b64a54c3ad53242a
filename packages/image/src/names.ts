import { familiarString, type ImageReference, InvalidReferenceError, parseReference } from '@berth/oci-spec';
import { ImageError } from './errors.js';

/** `sha256:<64 hex>` or the bare 64 hex digits. */
export const FULL_ID = /^(?:sha256:)?([0-9a-f]{64})$/;
/** A short id: a prefix of the hex digits (Docker accepts any prefix that is unique). */
export const SHORT_ID = /^(?:sha256:)?([0-9a-f]{1,63})$/;

export function parseRef(input: string, options: { defaultTag?: boolean } = {}): ImageReference {
  try {
    return parseReference(input, options);
  } catch (error) {
    if (error instanceof InvalidReferenceError) {
      throw new ImageError('INVALID', `invalid reference "${input}": ${error.message}`, {
        reference: input,
        cause: error,
      });
    }
    throw error;
  }
}

/** The stored key of a tag: `docker.io/library/busybox:latest` (a digest in `input` is refused). */
export function tagKey(input: string): string {
  const ref = parseRef(input);
  if (ref.digest !== undefined) {
    throw new ImageError('INVALID', `"${input}" has a digest; a tag target must be name[:tag]`, {
      reference: input,
    });
  }
  return `${ref.name}:${ref.tag ?? 'latest'}`;
}

/** The stored key of a repo digest: `docker.io/library/busybox@sha256:…`. */
export function digestKey(name: string, digest: string): string {
  return `${name}@${digest}`;
}

export function isDigestKey(key: string): boolean {
  return key.includes('@');
}

/** How Docker shows a stored name: `busybox:latest`, `localhost:5000/app@sha256:…`. */
export function familiar(key: string): string {
  return familiarString(parseReference(key, { defaultTag: false }));
}

/** The repository part of a stored key: `docker.io/library/busybox`. */
export function repositoryOf(key: string): string {
  return parseReference(key, { defaultTag: false }).name;
}
