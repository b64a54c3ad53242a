#!/usr/bin/env node
// berth's entry: turn on V8's on-disk compile cache where Node has it (22.1+; a no-op on Node 20),
// then load the command line; each command's module is a separate chunk loaded when it runs.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// `berth logs x | head`: a reader that goes away ends the command quietly, as docker does
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { runCli } = await import('./cli.js');
process.exitCode = await runCli(process.argv.slice(2));
