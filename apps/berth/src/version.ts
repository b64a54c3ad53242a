import { readFileSync } from 'node:fs';
import { OCI_RUNTIME_SPEC_VERSION } from '@berth/oci-spec';
import { z } from 'zod';

const PackageJson = z.object({ version: z.string() });

/** The CLI's own version, read from its package.json (one source of truth). */
export function berthVersion(): string {
  const url = new URL('../package.json', import.meta.url);
  return PackageJson.parse(JSON.parse(readFileSync(url, 'utf8'))).version;
}

export function versionText(): string {
  return `berth version ${berthVersion()} (OCI runtime spec ${OCI_RUNTIME_SPEC_VERSION}, node ${process.version})`;
}
