#!/usr/bin/env node
// berth's entry: load the bundled command line (one CommonJS file whose commands initialise only when
// run) through V8's code cache, run the command, then write the cache if this start had none.
// Built as CommonJS (dist/package.json says so): Node starts a CommonJS main ~4 ms sooner than an
// ES module one, which is why this file avoids top-level await and import.meta.
import { join } from 'node:path';
import { commandLabel } from './command-label.js';
import { compileCacheDir, loadBundle } from './load-bundle.js';

// `berth logs x | head`: a reader that goes away ends the command quietly, as docker does
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const argv = process.argv.slice(2);
const bundle = loadBundle<typeof import('./cli.js')>(
  join(__dirname, 'berth-cli.cjs'),
  compileCacheDir(process.env),
  commandLabel(argv),
);
bundle.exports.runCli(argv).then((code) => {
  process.exitCode = code;
  bundle.persist();
});
