export type { EngineSpawnResult, SeccompRules } from './binding.js';
export { packageRoot as nativePackageRoot } from './binding.js';
export {
  ambientClearAll,
  ambientIsSet,
  ambientLower,
  ambientRaise,
  capabilityMask,
  capabilityNames,
  capabilityNumber,
  capBoundingDrop,
  capBoundingRead,
  getNoNewPrivs,
  rlimitResource,
  setChildSubreaper,
  setKeepCaps,
  setNoNewPrivs,
  setParentDeathSignal,
} from './caps.js';
export type { ConstantName } from './constant-names.js';
export {
  ContainerInitError,
  ContainerProcess,
  type ContainerState,
  type CreateOptions,
  createContainer,
  INIT_STEPS,
  type InitStep,
  type SeccompListenerHandler,
  spawnContainer,
} from './engine.js';
export { isSyscallError, SyscallError } from './errors.js';
export { initBinaryPath } from './init-binary.js';
export {
  encodePlan,
  InitPlan,
  type InitPlanInput,
  PlanCapabilities,
  PlanDevice,
  PlanHook,
  PlanJoin,
  PlanMount,
  PlanRlimit,
  PlanRuntimeHook,
} from './plan.js';
export { ResolveError, resolveInRoot } from './resolve.js';
export {
  type CompiledSeccomp,
  compileSeccomp,
  resolveSyscall,
  SeccompProfile,
  SeccompProfileError,
} from './seccomp.js';
export * from './syscalls.js';
