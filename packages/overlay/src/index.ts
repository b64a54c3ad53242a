export { type ApplyOptions, type ApplyResult, applyLayer } from './apply.js';
export { applyToSnapshot } from './apply-snapshot.js';
export { type Compression, compress, decompress, detectCompression } from './compression.js';
export { type DiffOptions, type DiffResult, diffSnapshot } from './diff.js';
export { isOverlayError, OverlayError, type OverlayErrorCode } from './errors.js';
export { mountAll, unmount } from './mount.js';
export { NativeSnapshotter } from './native-snapshotter.js';
export { type OverlayOptions, OverlaySnapshotter } from './overlay-snapshotter.js';
export {
  GC_REF_PREFIX,
  GC_ROOT_LABEL,
  type GcOptions,
  type GcResult,
  type Info,
  Kind,
  Labels,
  type Layout,
  type Mount,
  type SnapshotOpt,
  type SnapshotOptions,
  type Snapshotter,
  type Usage,
  withLabels,
} from './snapshotter.js';
export { diskUsage } from './usage.js';
