#!/usr/bin/env node
// berth-runtime's entry: turn on V8's on-disk compile cache where Node has it (22.1+; a no-op on
// Node 20), then load the command line, so the bundle's code is compiled once, not per command.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./cli.js');
