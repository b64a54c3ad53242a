#!/usr/bin/env node
// Runs every benchmark (src/*.bench.mjs), or only those named: `pnpm bench overlay namespaces`.
// Each benchmark is a plain script that measures berth and its peers in one run and prints ratios;
// they run one after another so they do not compete for the machine's cores.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const wanted = process.argv.slice(2).filter((arg) => arg !== '--');
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .map((name) => name.slice(0, -'.bench.mjs'.length))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (benches.length === 0) {
  console.error(`bench: nothing to run${wanted.length ? ` for ${wanted.join(', ')}` : ''}`);
  process.exit(wanted.length ? 1 : 0);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, [join(here, `${name}.bench.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
