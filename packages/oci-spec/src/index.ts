// Public surface of @berth/oci-spec. Every schema and its inferred type share one name.
export * from './default-spec.js';
export * from './errors.js';
export * from './runtime/config.js';
export * from './runtime/features.js';
export * from './runtime/linux.js';
export * from './runtime/resources.js';
export * from './runtime/state.js';
export * from './version.js';
