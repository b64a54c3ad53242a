export type { AttachOptions, ShimAttach } from './attach.js';
export { shimBinaryPath } from './binary.js';
export {
  SHIM_SOCKET,
  ShimClient,
  type ShimExec,
  type ShimExitStatus,
  type ShimState,
  type ShimStdio,
} from './client.js';
export { isShimError, ShimError, type ShimErrorCode } from './errors.js';
export { EXIT_FILE, ExitStatus, readExitFile } from './exit-file.js';
export { connectShim, DEFAULT_LAUNCH_TIMEOUT_MS, LaunchOptions, LogOptions, launchShim } from './launch.js';
