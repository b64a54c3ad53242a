export {
  IMAGE_NAME_ANNOTATION,
  type LoadOciLayoutOptions,
  type LoadResult,
  REF_NAME_ANNOTATION,
} from './archive.js';
export type { CommitOptions, CreateImageOptions, ImportOptions, LayerInput } from './build.js';
export { chainIds, topChainId } from './chain.js';
export { applyChanges } from './changes.js';
export { directoryTar } from './dir-tar.js';
export { ImageError, type ImageErrorCode, type ImageErrorFacts, isImageError } from './errors.js';
export { ImageStore } from './image-store.js';
export type { HistoryItem, ImageInspect } from './inspect.js';
export { dockerPullMessage } from './progress.js';
export type {
  GcResult,
  ImageRecord,
  ImageStoreOptions,
  ListOptions,
  PruneOptions,
  PruneResult,
  RemoveOptions,
  RemoveResult,
} from './store.js';
export {
  type ImageProgressEvent,
  type PullOptions,
  type PushImageResult,
  type PushOptions,
  RegistryAuth,
} from './transfer.js';
export type { UnpackProgress } from './unpack.js';
