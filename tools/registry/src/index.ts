export { type FaultProxy, type ProxiedRequest, startFaultProxy } from './proxy.js';
export {
  DOCKER_REGISTRY_PATH,
  freePort,
  type StartRegistryOptions,
  startRegistry,
  type TestRegistry,
  TestRegistryError,
} from './registry.js';
