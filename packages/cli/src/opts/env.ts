import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';

/** -e KEY=VALUE as given; -e KEY takes KEY's value from our environment, or stays bare (unset). */
export function parseEnvEntry(entry: string, env: NodeJS.ProcessEnv): string {
  if (entry.startsWith('=')) throw new CliError(`invalid environment variable: ${entry}`, 125, 'FLAG_VALUE');
  if (entry.includes('=')) return entry;
  const v = env[entry];
  return v === undefined ? entry : `${entry}=${v}`;
}

/** --env-file: one KEY=VALUE per line; blank lines and lines starting with # are skipped. */
export function readEnvFile(path: string, env: NodeJS.ProcessEnv): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(
      `open ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`,
      125,
    );
  }
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (/\s/.test(line.split('=')[0]!))
      throw new CliError(`variable '${line.split('=')[0]}' contains whitespaces`, 125);
    out.push(parseEnvEntry(line, env));
  }
  return out;
}

/** --env-file entries first, then -e (later wins in the daemon). */
export function buildEnv(envFlags: string[], envFiles: string[], env: NodeJS.ProcessEnv): string[] {
  return [...envFiles.flatMap((f) => readEnvFile(f, env)), ...envFlags.map((e) => parseEnvEntry(e, env))];
}

/** --label k=v / --label k (empty value) → record. */
export function parseLabels(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const i = l.indexOf('=');
    if (i === 0) throw new CliError(`invalid label '${l}': empty name`, 125);
    if (i < 0) out[l] = '';
    else out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
