/** Stable codes of every error this package throws. */
export type RegistryErrorCode =
  /** The registry answered with an HTTP status the operation does not accept. */
  | 'EREGISTRYHTTP'
  /** The manifest (tag or digest) does not exist in the repository. */
  | 'EMANIFESTUNKNOWN'
  /** The blob does not exist in the repository. */
  | 'EBLOBUNKNOWN'
  /** Authentication failed: no or wrong credentials, token server refused, unknown challenge. */
  | 'EUNAUTHORIZED'
  /** Content did not hash to the digest it was asked for (or had the wrong size). */
  | 'EDIGESTMISMATCH'
  /** A manifest media type this client does not handle (Docker schema1 and unknown types). */
  | 'EUNSUPPORTEDMANIFEST'
  /** No manifest in an index matches the wanted platform. */
  | 'ENOMATCHINGPLATFORM'
  /** The network failed and retries ran out. */
  | 'ENETWORK'
  /** Bad input: reference, config file, header, registry answer that fails validation. */
  | 'EINVALID'
  /** The caller aborted the operation. */
  | 'EABORTED';

/** Facts attached to an error; every field is optional and only set when it is known. */
export interface RegistryErrorFacts {
  /** Registry host as in the reference (`docker.io`, `127.0.0.1:5000`). */
  registry?: string;
  repository?: string;
  /** Tag or digest. */
  reference?: string;
  method?: string;
  url?: string;
  status?: number;
  digest?: string;
  /** Errors the registry listed in its JSON error body (`{ errors: [{ code, message }] }`). */
  registryErrors?: { code: string; message: string }[];
  cause?: unknown;
}

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly registry?: string;
  readonly repository?: string;
  readonly reference?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly digest?: string;
  readonly registryErrors?: { code: string; message: string }[];

  constructor(code: RegistryErrorCode, message: string, facts: RegistryErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'RegistryError';
    this.code = code;
    if (facts.registry !== undefined) this.registry = facts.registry;
    if (facts.repository !== undefined) this.repository = facts.repository;
    if (facts.reference !== undefined) this.reference = facts.reference;
    if (facts.method !== undefined) this.method = facts.method;
    if (facts.url !== undefined) this.url = facts.url;
    if (facts.status !== undefined) this.status = facts.status;
    if (facts.digest !== undefined) this.digest = facts.digest;
    if (facts.registryErrors !== undefined) this.registryErrors = facts.registryErrors;
  }
}

/** Content hashed to `actual` (or had `actualSize`) where `expected` was asked for. */
export class DigestMismatchError extends RegistryError {
  readonly expected: string;
  readonly actual: string;
  readonly expectedSize?: number;
  readonly actualSize?: number;

  constructor(
    expected: string,
    actual: string,
    facts: RegistryErrorFacts & { expectedSize?: number; actualSize?: number } = {},
  ) {
    const what =
      facts.expectedSize !== undefined &&
      facts.actualSize !== undefined &&
      facts.expectedSize !== facts.actualSize
        ? `size ${facts.actualSize} where ${facts.expectedSize} was expected`
        : `digest ${actual}`;
    super('EDIGESTMISMATCH', `content of ${expected} has ${what}`, { ...facts, digest: expected });
    this.name = 'DigestMismatchError';
    this.expected = expected;
    this.actual = actual;
    if (facts.expectedSize !== undefined) this.expectedSize = facts.expectedSize;
    if (facts.actualSize !== undefined) this.actualSize = facts.actualSize;
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
