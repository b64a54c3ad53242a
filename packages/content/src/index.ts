export { type WriteBlobOptions, writeBlob } from './copy.js';
export { Digest, DigestAlgorithm, digestOf, type ParsedDigest, parseDigest } from './digest.js';
export { ContentError, type ContentErrorCode, isContentError } from './errors.js';
export {
  ContentStore,
  GC_REF_PREFIX,
  GC_ROOT_LABEL,
  type GcOptions,
  type GcResult,
  type LabelUpdate,
  type WriterOptions,
} from './store.js';
export { type Info, Labels, type Status } from './types.js';
export { type CommitOptions, Writer } from './writer.js';
