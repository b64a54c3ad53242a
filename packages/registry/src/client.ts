import type { Writable } from 'node:stream';
import { type Descriptor, type ImageReference, parseReference } from '@berth/oci-spec';
import type { Dispatcher } from 'undici';
import { type BlobRef, type FetchBlobOptions, fetchBlob, statBlob } from './blobs.js';
import { pullScope, type RepositoryContext, unexpected } from './context.js';
import { type CredentialSource, dockerConfigCredentials } from './credentials.js';
import { type Endpoint, pullEndpoints, registryEndpoint } from './hosts.js';
import { type FetchedManifest, type GetManifestOptions, getManifest, headManifest } from './manifests.js';
import { listReferrers, putManifestWithReferrers, type ReferrersOptions } from './referrers.js';
import type { RetryOptions } from './retry.js';
import { type ListTagsOptions, listTags } from './tags.js';
import { header, Transport } from './transport.js';
import { type BlobSource, type PushBlobOptions, type PushBlobResult, pushBlob } from './upload.js';

export interface RegistryClientOptions {
  /** Where logins come from (default: Docker's config.json, honouring DOCKER_CONFIG). */
  credentials?: CredentialSource;
  /**
   * Registries spoken to over plain HTTP (`host[:port]` or CIDR), as Docker's insecure-registries.
   * Loopback registries (127.0.0.0/8, ::1, localhost) always are; everything else is https.
   */
  insecureRegistries?: readonly string[];
  /** Docker Hub mirrors (URLs), tried in order before Docker Hub itself for pulls. */
  registryMirrors?: readonly string[];
  retry?: Partial<RetryOptions>;
  /** Blobs transferred at once by pull/push (default 3, Docker's max-concurrent-downloads). */
  concurrency?: number;
  userAgent?: string;
  /** An undici dispatcher to use instead of the client's own connection pool. */
  dispatcher?: Dispatcher;
}

/** What `ping` learnt about a registry. */
export interface PingResult {
  /** `registry/2.0` when the registry says so (Docker-Distribution-API-Version). */
  apiVersion: string | undefined;
  /** Whether it asked for authentication (and we passed it). */
  authenticated: boolean;
}

/** One repository of one registry: the distribution API's operations, bound to it. */
export class Repository {
  readonly #ctx: RepositoryContext;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** `127.0.0.1:5000` / `docker.io` */
  get registry(): string {
    return this.#ctx.registry;
  }

  /** `library/alpine` */
  get path(): string {
    return this.#ctx.repository;
  }

  /** A manifest or index by tag or digest, digest-verified; schema1 is refused (EUNSUPPORTEDMANIFEST). */
  getManifest(reference: string, options?: GetManifestOptions): Promise<FetchedManifest> {
    return getManifest(this.#ctx, reference, options);
  }

  /** Digest, media type and size of a manifest without its body; undefined when it does not exist. */
  headManifest(reference: string, options?: GetManifestOptions) {
    return headManifest(this.#ctx, reference, options);
  }

  /**
   * Stores manifest bytes under a tag or digest; returns their digest. A manifest with a `subject`
   * is also added to the referrers tag schema when the registry has no referrers API.
   */
  putManifest(
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
    options?: { signal?: AbortSignal },
  ): Promise<string> {
    return putManifestWithReferrers(this.#ctx, reference, bytes, mediaType, options);
  }

  /** Streams a blob into `destination` (verified, resumed, retried); see fetchBlob. */
  fetchBlob(blob: BlobRef, destination: Writable, options?: FetchBlobOptions): Promise<number> {
    return fetchBlob(this.#ctx, blob, destination, options);
  }

  /** The size of a blob if the repository has it, else undefined. */
  statBlob(digest: string, options: { signal?: AbortSignal } = {}): Promise<number | undefined> {
    return statBlob(this.#ctx, this.#ctx.pullEndpoints[0]!, digest, pullScope(this.#ctx), options.signal);
  }

  /** Pushes a blob (exists check, optional cross-repo mount, monolithic or chunked upload). */
  pushBlob(blob: BlobRef, source: BlobSource, options?: PushBlobOptions): Promise<PushBlobResult> {
    return pushBlob(this.#ctx, blob, source, options);
  }

  /** Every tag, following pagination. */
  listTags(options?: ListTagsOptions): Promise<string[]> {
    return listTags(this.#ctx, options);
  }

  /** Manifests whose subject is `digest` (referrers API, falling back to the referrers tag schema). */
  listReferrers(digest: string, options?: ReferrersOptions): Promise<Descriptor[]> {
    return listReferrers(this.#ctx, digest, options);
  }
}

/**
 * A client for OCI distribution / Docker Registry HTTP API v2 registries. One client holds a
 * connection pool and the auth state (tokens by scope) of every registry it talked to; `close()` it
 * when done.
 */
export class RegistryClient {
  readonly transport: Transport;
  readonly concurrency: number;
  readonly #insecure: readonly string[];
  readonly #mirrors: readonly string[];

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new Transport({
      credentials: options.credentials ?? dockerConfigCredentials(),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    this.concurrency = Math.max(1, options.concurrency ?? 3);
    this.#insecure = options.insecureRegistries ?? [];
    this.#mirrors = options.registryMirrors ?? [];
  }

  /** The endpoint for a registry's own API (no mirrors). */
  endpoint(registry: string): Endpoint {
    return registryEndpoint(registry, this.#insecure);
  }

  /**
   * A repository by name or reference (`127.0.0.1:5000/berth/app`, `alpine` → docker.io/library/alpine;
   * a tag or digest in the string is ignored here).
   */
  repository(name: string | ImageReference): Repository {
    const ref = typeof name === 'string' ? parseReference(name) : name;
    return new Repository({
      transport: this.transport,
      registry: ref.domain,
      repository: ref.path,
      pullEndpoints: pullEndpoints(ref.domain, {
        insecureRegistries: this.#insecure,
        registryMirrors: this.#mirrors,
      }),
      pushEndpoint: this.endpoint(ref.domain),
    });
  }

  /** GET /v2/: checks the registry speaks the API and that we can log in to it. */
  async ping(registry: string, options: { signal?: AbortSignal } = {}): Promise<PingResult> {
    const endpoint = this.endpoint(registry);
    const req = { method: 'GET' as const, url: '/v2/', signal: options.signal };
    const response = await this.transport.request(endpoint, req);
    if (response.status !== 200) {
      throw await unexpected(
        {
          transport: this.transport,
          registry,
          repository: '',
          pullEndpoints: [endpoint],
          pushEndpoint: endpoint,
        },
        req,
        response,
        `ping ${registry}`,
      );
    }
    await response.body.dump();
    return {
      apiVersion: header(response, 'docker-distribution-api-version'),
      authenticated: this.transport.challenged(endpoint),
    };
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
