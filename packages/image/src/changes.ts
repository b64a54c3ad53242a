import type { DockerContainerConfig } from '@berth/oci-spec';
import { ImageError } from './errors.js';

/** Instructions `docker import --change` and `docker commit --change` accept. */
const ALLOWED = new Set([
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'ONBUILD',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** Splits on unquoted whitespace; quotes and backslash escapes are removed (Dockerfile word rules). */
function words(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error('unterminated quote');
  if (inWord) out.push(current);
  return out;
}

/** `["a","b"]` (JSON form) or undefined when the text is not a JSON array of strings. */
function jsonArray(text: string): string[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // Not JSON: the shell form, as Docker falls back to.
  }
  return undefined;
}

/** `KEY=value KEY2="x y"` or the legacy `KEY value` form. */
function pairs(instruction: string, rest: string): [string, string][] {
  const tokens = words(rest);
  if (tokens.length > 0 && !tokens[0]!.includes('=')) {
    const space = rest.trim().search(/\s/);
    if (space === -1) throw new Error(`${instruction} needs a value`);
    const [value] = [rest.trim().slice(space).trim()];
    return [[tokens[0]!, words(value).join(' ')]];
  }
  return tokens.map((token) => {
    const eq = token.indexOf('=');
    if (eq <= 0) throw new Error(`${instruction} expects KEY=value, got "${token}"`);
    return [token.slice(0, eq), token.slice(eq + 1)];
  });
}

/**
 * Applies Dockerfile-style changes (`CMD ["sh"]`, `ENV A=b`, `EXPOSE 80`, `WORKDIR /app`, …) to an
 * image's container config, as `docker import --change` / `docker commit --change` do. Returns a
 * new config; bad input throws INVALID naming the change.
 */
export function applyChanges(base: DockerContainerConfig, changes: readonly string[]): DockerContainerConfig {
  const config: DockerContainerConfig = structuredClone(base);
  for (const change of changes) {
    const trimmed = change.trim();
    const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
    const instruction = match?.[1]?.toUpperCase() ?? '';
    const rest = match?.[2] ?? '';
    if (!ALLOWED.has(instruction)) {
      throw new ImageError(
        'INVALID',
        `change "${change}": ${instruction || 'empty'} is not a supported instruction`,
      );
    }
    try {
      switch (instruction) {
        case 'CMD':
        case 'ENTRYPOINT': {
          const args = jsonArray(rest) ?? ['/bin/sh', '-c', rest];
          if (instruction === 'CMD') config.Cmd = args;
          else config.Entrypoint = args;
          break;
        }
        case 'ENV': {
          const env = [...(config.Env ?? [])];
          for (const [key, value] of pairs('ENV', rest)) {
            const index = env.findIndex((e) => e.split('=', 1)[0] === key);
            if (index === -1) env.push(`${key}=${value}`);
            else env[index] = `${key}=${value}`;
          }
          config.Env = env;
          break;
        }
        case 'LABEL': {
          const labels = { ...(config.Labels ?? {}) };
          for (const [key, value] of pairs('LABEL', rest)) labels[key] = value;
          config.Labels = labels;
          break;
        }
        case 'EXPOSE': {
          const ports = { ...(config.ExposedPorts ?? {}) };
          for (const port of words(rest)) {
            if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(port)) throw new Error(`invalid port "${port}"`);
            ports[port.includes('/') ? port.toLowerCase() : `${port}/tcp`] = {};
          }
          config.ExposedPorts = ports;
          break;
        }
        case 'VOLUME': {
          const volumes = { ...(config.Volumes ?? {}) };
          for (const path of jsonArray(rest) ?? words(rest)) volumes[path] = {};
          config.Volumes = volumes;
          break;
        }
        case 'ONBUILD':
          config.OnBuild = [...(config.OnBuild ?? []), rest.trim()];
          break;
        case 'USER':
          config.User = words(rest).join(' ');
          break;
        case 'WORKDIR':
          config.WorkingDir = words(rest).join(' ');
          break;
        case 'STOPSIGNAL':
          config.StopSignal = words(rest).join(' ');
          break;
      }
    } catch (error) {
      throw new ImageError('INVALID', `change "${change}": ${(error as Error).message}`, { cause: error });
    }
  }
  return config;
}
