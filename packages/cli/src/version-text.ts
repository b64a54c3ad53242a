import { readFileSync } from 'node:fs';

/** The CLI's version: from the package.json next to the running bundle (apps/berth) or this package. */
export function cliVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        version?: unknown;
        name?: unknown;
      };
      if (typeof pkg.version === 'string' && typeof pkg.name === 'string' && pkg.name.startsWith('@berth/'))
        return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}

export function versionText(prog: string): string {
  return `${prog === 'berth' ? 'Berth' : prog} version ${cliVersion()}`;
}
