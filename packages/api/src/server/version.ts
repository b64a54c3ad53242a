/** The newest API version berth speaks (what Docker CLI 28 asks for) and the oldest it accepts. */
export const API_VERSION = '1.50';
export const MIN_API_VERSION = '1.41';

/** Compare "1.41" style versions numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

/**
 * Split `/v1.50/containers/json` into version and path. A path without a prefix speaks the newest
 * version (as dockerd does). Versions outside [MIN, MAX] are errors with dockerd's wording.
 */
export function splitVersion(path: string): { version: string; path: string } | { error: string } {
  const m = PREFIX.exec(path);
  if (!m) return { version: API_VERSION, path };
  const version = m[1]!;
  if (compareVersions(version, API_VERSION) > 0)
    return { error: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}` };
  if (compareVersions(version, MIN_API_VERSION) < 0)
    return {
      error: `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    };
  return { version, path: m[2]! };
}
