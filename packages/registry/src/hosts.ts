import { BlockList, isIP } from 'node:net';
import { RegistryError } from './errors.js';

/** Docker Hub's reference domain and the host its API actually answers on. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** Where requests for a registry go: a base URL, and whether it is a mirror standing in for it. */
export interface Endpoint {
  /** The registry as named in references (`docker.io`, `127.0.0.1:5000`), or a mirror's host: the key for credentials. */
  registry: string;
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`, `https://mirror.example/prefix` (no trailing slash). */
  baseUrl: string;
  mirror: boolean;
  /**
   * An insecure-registries entry reached over https: its certificate is not verified, and if TLS
   * fails altogether the endpoint falls back to plain http (Docker's behaviour for such entries).
   */
  insecureTls?: boolean;
}

/** Strips `[...]` and `:port` from `host[:port]`. */
export function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/** localhost, 127.0.0.0/8 and ::1: Docker talks plain HTTP to these without being told. */
export function isLoopback(host: string): boolean {
  const name = hostname(host).toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Docker's `insecure-registries` matching: an entry is a `host[:port]` (exact) or a CIDR that the
 * registry's IP address falls in. Loopback is always insecure.
 */
export function isInsecure(host: string, insecureRegistries: readonly string[]): boolean {
  if (isLoopback(host)) return true;
  const name = hostname(host);
  for (const entry of insecureRegistries) {
    const bare = entry.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
    if (bare === host || bare === name) return true;
    const cidr = /^(.+)\/(\d+)$/.exec(bare);
    const family = isIP(name);
    if (cidr && family !== 0 && isIP(cidr[1]!) === family) {
      const list = new BlockList();
      const type = family === 4 ? 'ipv4' : 'ipv6';
      list.addSubnet(cidr[1]!, Number(cidr[2]), type);
      if (list.check(name, type)) return true;
    }
  }
  return false;
}

/**
 * The base URL of a registry's own API: http for loopback, https otherwise (without certificate
 * checks, and with an http fallback, for insecure-registries entries); Docker Hub's API host.
 */
export function registryBaseUrl(registry: string): string {
  if (registry === DOCKER_HUB_DOMAIN) return `https://${DOCKER_HUB_API_HOST}`;
  return `${isLoopback(registry) ? 'http' : 'https'}://${registry}`;
}

/** The endpoint of a registry's own API (no mirrors). */
export function registryEndpoint(registry: string, insecureRegistries: readonly string[]): Endpoint {
  const endpoint: Endpoint = {
    registry,
    baseUrl: registryBaseUrl(registry),
    mirror: false,
  };
  if (!isLoopback(registry) && registry !== DOCKER_HUB_DOMAIN && isInsecure(registry, insecureRegistries)) {
    endpoint.insecureTls = true;
  }
  return endpoint;
}

/** Normalises a `registry-mirrors` entry (a URL; a bare host gets https) to a base URL. */
export function mirrorBaseUrl(mirror: string, insecureRegistries: readonly string[]): string {
  const withScheme = /^[a-z]+:\/\//i.test(mirror)
    ? mirror
    : `${isInsecure(mirror.split('/')[0]!, insecureRegistries) ? 'http' : 'https'}://${mirror}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RegistryError('EINVALID', `registry mirror ${JSON.stringify(mirror)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RegistryError('EINVALID', `registry mirror ${JSON.stringify(mirror)} must be http(s)`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The endpoints to try for a pull, in order. As in Docker, mirrors only stand in for Docker Hub:
 * each mirror first, then the Hub itself.
 */
export function pullEndpoints(
  registry: string,
  options: { insecureRegistries: readonly string[]; registryMirrors: readonly string[] },
): Endpoint[] {
  const own = registryEndpoint(registry, options.insecureRegistries);
  if (registry !== DOCKER_HUB_DOMAIN) return [own];
  return [
    ...options.registryMirrors.map((mirror) => {
      const baseUrl = mirrorBaseUrl(mirror, options.insecureRegistries);
      // A mirror logs in with its own credentials (looked up by its host), not Docker Hub's.
      return { registry: new URL(baseUrl).host, baseUrl, mirror: true };
    }),
    own,
  ];
}
