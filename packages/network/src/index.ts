export { type CniCommand, type CniExecArgs, execPlugin, findPlugin } from './cni/exec.js';
export { CniRunner, type CniRunnerOptions, type CniRuntimeConf } from './cni/runner.js';
export {
  CniCacheEntry,
  CniConfList,
  CniInterface,
  CniIpConfig,
  CniPluginConf,
  CniResult,
  CniRoute,
  CniVersionResult,
} from './cni/types.js';
export { CNI_RUNNER_ERROR, CniError, isNetworkError, NetworkError, type NetworkErrorCode } from './errors.js';
export { renderHosts, renderResolvConf } from './files.js';
export { firewallScript } from './firewall.js';
export type { NetworkInspect } from './inspect.js';
export { deleteLink, linkExists } from './links.js';
export {
  type AttachOptions,
  type AttachResult,
  BRIDGE_NAME_OPTION,
  type ContainerFiles,
  type ContainerFilesOptions,
  DEFAULT_BRIDGE_NAME,
  DEFAULT_CNI_BIN_DIR,
  DEFAULT_NETNS_DIR,
  DEFAULT_NFT_TABLE,
  type DefaultBridgeOptions,
  type NetworkCreateOptions,
  type NetworkFilter,
  NetworkManager,
  type NetworkManagerOptions,
} from './manager.js';
export { masqChainName, teardownIpMasq } from './masq.js';
export type { PortMapping } from './ports.js';
export { EndpointRecord, NetworkRecord, PublishedPort } from './state.js';
export { type AddressPool, DEFAULT_POOLS, hostRoutes, parseSubnet } from './subnet.js';
