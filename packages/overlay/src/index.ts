export { type ApplyOptions, type ApplyResult, applyLayer } from './apply.js';
export { type Compression, compress, decompress, detectCompression } from './compression.js';
export { isOverlayError, OverlayError, type OverlayErrorCode } from './errors.js';
