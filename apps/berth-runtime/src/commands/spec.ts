// spec: writes a default config.json into the bundle (refuses to overwrite one, as runc).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSpec } from '@berth/runtime';
import type { Globals } from '../globals.js';
import { ExitCode, str } from '../globals.js';

export default async function spec(
  g: Globals,
  flags: { bundle?: unknown; rootless?: unknown },
): Promise<void> {
  const path = join(str(flags.bundle) ?? '.', 'config.json');
  if (existsSync(path)) {
    g.logger.error(`File ${path} exists. Remove it first`);
    throw new ExitCode(1);
  }
  writeFileSync(path, `${JSON.stringify(defaultSpec({ rootless: flags.rootless === true }), null, '\t')}\n`);
}
