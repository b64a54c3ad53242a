// Only the entry of the command line: flags, help and the command table; commands load on demand.
export { runCli } from '@berth/cli/main';
