#!/usr/bin/env node
import { versionText } from './version.js';

const [command] = process.argv.slice(2);
if (command === 'version' || command === '--version' || command === '-v') {
  process.stdout.write(`${versionText()}\n`);
} else {
  process.stderr.write(`berth: unknown command ${JSON.stringify(command ?? '')}; try 'berth version'\n`);
  process.exitCode = 1;
}
