// Image references with Docker's normalisation: `busybox` → `docker.io/library/busybox:latest`.
//
// Hand-written rather than an npm dependency: the npm ports of Docker's reference grammar
// (@swimlane/docker-reference and friends) follow an old distribution release (no IPv6 registries,
// no `index.docker.io` canonicalisation) and are unmaintained. The grammar below is the one of
// distribution/reference (regexp.go, normalize.go), and the tests use its documented cases.

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
/** Longest `domain/path` Docker accepts. */
export const NAME_TOTAL_LENGTH_MAX = 255;

// Grammar pieces (distribution/reference regexp.go).
const alphanumeric = '[a-z0-9]+';
/** One period, one or two underscores, or any number of dashes. */
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
/** IPv6 in brackets, without zone identifiers. */
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const domainAndPort = `(?:${domainName}|${ipv6address})${optionalPort}`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const REFERENCE = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const TAG = new RegExp(`^${tagPat}$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** Digest algorithms Docker accepts in references (go-digest's registered ones) and their hex lengths. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** A fully qualified image reference. */
export interface ImageReference {
  /** Registry host, with port if any: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the registry: `library/busybox`. */
  readonly path: string;
  /** `domain/path`: `docker.io/library/busybox`. */
  readonly name: string;
  /** The tag; `latest` when neither tag nor digest was given (unless `defaultTag: false`). */
  readonly tag?: string;
  /** `sha256:...` when pinned by digest. With both tag and digest, the digest is what pulls use. */
  readonly digest?: string;
  /** `docker.io/library/busybox:latest` (`name[:tag][@digest]`). */
  toString(): string;
}

export interface ParseReferenceOptions {
  /** Add `:latest` when the reference has neither tag nor digest (default true, like `docker pull`). */
  defaultTag?: boolean;
}

/** A string is not a valid image reference. `reason` is Docker's wording where it has one. */
export class InvalidReferenceError extends Error {
  readonly code = 'EINVALIDREFERENCE' as const;
  readonly reference: string;
  readonly reason: string;
  constructor(reference: string, reason: string) {
    super(`invalid reference ${JSON.stringify(reference)}: ${reason}`);
    this.name = 'InvalidReferenceError';
    this.reference = reference;
    this.reason = reason;
  }
}

/** Split a familiar name into registry domain and remainder (normalize.go splitDockerDomain). */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPO_PREFIX + name };
  const maybeDomain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (maybeDomain === 'localhost') [domain, remainder] = [maybeDomain, rest];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remainder] = [DEFAULT_DOMAIN, rest];
  // A "." or ":" makes it a host (example.com, 127.0.0.1, host:5000, [::1]:5000).
  else if (/[.:]/.test(maybeDomain)) [domain, remainder] = [maybeDomain, rest];
  // Namespaces are lowercase, so an uppercase first component can only be a host name.
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remainder] = [maybeDomain, rest];
  else [domain, remainder] = [DEFAULT_DOMAIN, name];
  // Official images live under library/ on Docker Hub only: docker.io/ubuntu → docker.io/library/ubuntu.
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

function makeReference(domain: string, path: string, tag?: string, digest?: string): ImageReference {
  const name = `${domain}/${path}`;
  const text = `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return {
    domain,
    path,
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    toString: () => text,
  };
}

/**
 * Parse a reference the way `docker pull` does (distribution/reference ParseNormalizedNamed plus
 * the default tag): `busybox` → `docker.io/library/busybox:latest`,
 * `host:5000/a/b@sha256:...` → domain `host:5000`, path `a/b`, digest. Throws InvalidReferenceError.
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): ImageReference {
  if (input === '')
    throw new InvalidReferenceError(input, 'repository name must have at least one component');
  if (IDENTIFIER.test(input)) {
    throw new InvalidReferenceError(input, 'cannot specify 64-byte hexadecimal strings as a repository name');
  }
  const { domain, remainder } = splitDockerDomain(input);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw new InvalidReferenceError(input, `repository name (${remote}) must be lowercase`);
  }
  const full = `${domain}/${remainder}`;
  const match = REFERENCE.exec(full);
  if (!match) {
    const reason = REFERENCE.test(full.toLowerCase())
      ? 'repository name must be lowercase'
      : 'invalid reference format';
    throw new InvalidReferenceError(input, reason);
  }
  const [, name = '', tag, digest] = match;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(
      input,
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  if (digest !== undefined) checkReferenceDigest(input, digest);
  const path = name.slice(domain.length + 1);
  const withDefault =
    tag === undefined && digest === undefined && (options.defaultTag ?? true) ? DEFAULT_TAG : tag;
  return makeReference(domain, path, withDefault, digest);
}

function checkReferenceDigest(input: string, digest: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined)
    throw new InvalidReferenceError(input, `unsupported digest algorithm ${algorithm}`);
  if (encoded.length !== length) throw new InvalidReferenceError(input, 'invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(encoded)) throw new InvalidReferenceError(input, 'invalid checksum digest format');
}

/** Whether `s` is a valid tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
export function isValidTag(s: string): boolean {
  return TAG.test(s);
}

/** The same repository with another tag (the digest is dropped). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!isValidTag(tag)) throw new InvalidReferenceError(tag, 'invalid tag format');
  return makeReference(ref.domain, ref.path, tag);
}

/** The short name Docker shows: `busybox`, `dmcgowan/myapp`, `localhost:5000/app`. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return ref.name;
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return ref.path;
}

/** The familiar name with tag and digest: `busybox:latest`, `redis@sha256:...`. */
export function familiarString(ref: ImageReference): string {
  return `${familiarName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
