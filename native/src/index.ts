export { isSyscallError, SyscallError } from './errors.js';
export * from './syscalls.js';
