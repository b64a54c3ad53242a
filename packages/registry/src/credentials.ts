import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RegistryError } from './errors.js';

/** What a registry login is: a user and password, or an OAuth2 refresh token (`identitytoken`). */
export type Credentials =
  | { username: string; password: string }
  | { username?: string; identityToken: string };

/** Looks up the credentials for a registry host (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
export type CredentialSource = (registry: string) => Promise<Credentials | undefined>;

/** The parts of Docker's `config.json` that hold logins. Other fields pass through untouched. */
export const DockerConfigFile = z.looseObject({
  auths: z
    .record(
      z.string(),
      z.looseObject({
        auth: z.string().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        identitytoken: z.string().optional(),
      }),
    )
    .optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});
export type DockerConfigFile = z.infer<typeof DockerConfigFile>;

/** The key Docker stores Docker Hub logins under. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://host:5000/v1/` → `host:5000`, as Docker matches `auths` keys. */
function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z]+:\/\//i, '');
  return withoutScheme.split('/')[0] ?? withoutScheme;
}

function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry);
}

/** Static credentials keyed by registry host, for tests and for callers that keep their own. */
export function staticCredentials(map: Record<string, Credentials>): CredentialSource {
  return async (registry) => map[registry] ?? (isDockerHub(registry) ? map['docker.io'] : undefined);
}

export interface DockerConfigOptions {
  /** Directory holding config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  configDir?: string;
}

/** Where Docker's config.json is: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(options: DockerConfigOptions = {}): string {
  const dir = options.configDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  return join(dir, 'config.json');
}

function decodeEntry(
  entry: NonNullable<DockerConfigFile['auths']>[string],
  path: string,
  key: string,
): Credentials | undefined {
  if (entry.identitytoken) {
    const username = entry.username ?? (entry.auth ? decodeAuth(entry.auth, path, key).username : undefined);
    return username === undefined
      ? { identityToken: entry.identitytoken }
      : { username, identityToken: entry.identitytoken };
  }
  if (entry.auth) return decodeAuth(entry.auth, path, key);
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** `auth` is base64 of `user:password` (the password may itself contain colons). */
function decodeAuth(auth: string, path: string, key: string): { username: string; password: string } {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new RegistryError('EINVALID', `${path}: auths["${key}"].auth is not base64 of "user:password"`, {
      registry: key,
    });
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Runs `docker-credential-<helper> get` as Docker does; undefined when it has nothing for the host. */
function fromHelper(helper: string, serverUrl: string): Promise<Credentials | undefined> {
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (error, stdout) => {
      if (error) {
        // Helpers answer "credentials not found in native keychain" with exit 1: not an error for us.
        if (/not found/i.test(stdout) || /not found/i.test(String(error.message))) resolve(undefined);
        else
          reject(new RegistryError('EUNAUTHORIZED', `docker-credential-${helper} failed: ${error.message}`));
        return;
      }
      const parsed = HelperAnswer.safeParse(safeJson(stdout));
      if (!parsed.success) {
        reject(
          new RegistryError('EINVALID', `docker-credential-${helper} printed no {Username, Secret} JSON`),
        );
        return;
      }
      const { Username, Secret } = parsed.data;
      // Docker's convention: the user name "<token>" marks an identity (refresh) token.
      resolve(Username === '<token>' ? { identityToken: Secret } : { username: Username, password: Secret });
    });
    child.stdin?.end(serverUrl);
  });
}

const HelperAnswer = z.object({ Username: z.string(), Secret: z.string() });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Credentials from Docker's config.json (path overridable with `DOCKER_CONFIG`): `auths` entries
 * with base64 `auth` or `username`/`password` or `identitytoken`, and `credHelpers`/`credsStore`
 * helpers. The file is read on each lookup, so a `docker login` meanwhile is seen; a missing file
 * means no credentials.
 */
export function dockerConfigCredentials(options: DockerConfigOptions = {}): CredentialSource {
  return async (registry) => {
    const path = dockerConfigPath(options);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = DockerConfigFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new RegistryError('EINVALID', `${path} is not a valid Docker config: ${parsed.error.message}`);
    }
    const config = parsed.data;
    const hub = isDockerHub(registry);
    const serverUrl = hub ? DOCKER_HUB_AUTH_KEY : registry;
    const helper =
      config.credHelpers?.[registry] ?? (hub ? config.credHelpers?.['docker.io'] : undefined) ?? undefined;
    if (helper) return fromHelper(helper, serverUrl);
    const auths = config.auths ?? {};
    // Exact key first (Docker writes the Hub key as a URL), then any key whose host matches.
    const exact = auths[serverUrl];
    if (exact) {
      const credentials = decodeEntry(exact, path, serverUrl);
      if (credentials) return credentials;
    }
    for (const [key, entry] of Object.entries(auths)) {
      const host = hostOfKey(key);
      if (host === registry || (hub && isDockerHub(host))) {
        const credentials = decodeEntry(entry, path, key);
        if (credentials) return credentials;
      }
    }
    if (config.credsStore) return fromHelper(config.credsStore, serverUrl);
    return undefined;
  };
}
