export { runCli } from '@berth/cli';
