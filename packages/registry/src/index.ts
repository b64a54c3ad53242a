export { Authenticator, basicHeader, TokenResponse } from './auth.js';
export type { BlobDescriptor, BlobRef, FetchBlobOptions, ResumeFrom } from './blobs.js';
export { type Challenge, parseChallenges } from './challenge.js';
export { type PingResult, RegistryClient, type RegistryClientOptions, Repository } from './client.js';
export type { RepositoryContext } from './context.js';
export {
  type CredentialSource,
  type Credentials,
  DOCKER_HUB_AUTH_KEY,
  DockerConfigFile,
  type DockerConfigOptions,
  dockerConfigCredentials,
  dockerConfigPath,
  staticCredentials,
} from './credentials.js';
export {
  DigestMismatchError,
  isRegistryError,
  RegistryError,
  type RegistryErrorCode,
  type RegistryErrorFacts,
} from './errors.js';
export {
  DOCKER_HUB_API_HOST,
  DOCKER_HUB_DOMAIN,
  type Endpoint,
  isInsecure,
  isLoopback,
  mirrorBaseUrl,
  pullEndpoints,
  registryBaseUrl,
  registryEndpoint,
} from './hosts.js';
export {
  type FetchedManifest,
  type GetManifestOptions,
  MANIFEST_MEDIA_TYPES,
  MAX_MANIFEST_BYTES,
  parseManifest,
} from './manifests.js';
export { selectManifest } from './platform.js';
export {
  type BlobKind,
  type BlobProgress,
  type BlobStatus,
  type DockerProgressMessage,
  dockerProgressMessage,
  type OverallProgress,
  Progress,
  type ProgressEvent,
} from './progress.js';
export { type BlobDestination, type OpenedBlob, type PullOptions, type PullResult, pull } from './pull.js';
export { type ManifestBytes, type PushOptions, type PushResult, push } from './push.js';
export { type ReferrersOptions, referrersTag } from './referrers.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export { type ListTagsOptions, TagList } from './tags.js';
export { type BlobSource, fileSource, type PushBlobOptions, type PushBlobResult } from './upload.js';
