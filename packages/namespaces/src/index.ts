export { enterNamespace, withNamespace } from './enter.js';
export { NamespaceError } from './errors.js';
export {
  formatIdMap,
  IdMapping,
  idMappingHook,
  MAX_ID_MAP_LINES,
  mapToHost,
  parseIdMap,
  validateIdMappings,
  type WriteIdMappingsOptions,
  writeIdMappings,
} from './idmap.js';
export {
  isNamespaceKind,
  kindsFromFlags,
  NAMESPACE_INFO,
  NAMESPACE_KINDS,
  type NamespaceKind,
  namespaceFlag,
  namespaceFlags,
  parseNamespaceKind,
} from './kinds.js';
export {
  createPersistentNamespace,
  isPersistentNamespace,
  type PersistentNamespaceOptions,
  removePersistentNamespace,
} from './persistent.js';
export {
  type NamespacePlan,
  type NamespacePlanOptions,
  type NamespaceSpecPart,
  namespacePlan,
} from './plan.js';
export {
  type NamespaceRef,
  namespacePath,
  parseNamespaceLink,
  readNamespace,
  readNamespaces,
  sameNamespace,
} from './proc.js';
