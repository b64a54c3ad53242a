import type { LinuxResources } from './resources.js';

/**
 * One controller of one cgroup version (youki's shape): `needsToHandle` says whether the OCI resources
 * touch it, `apply` writes its files in the cgroup directory `dir`. Adding a controller = adding one file.
 */
export interface Controller {
  /** The kernel's name of the controller ('memory', 'cpu', 'io', ...). */
  readonly name: string;
  needsToHandle(resources: LinuxResources): boolean;
  apply(resources: LinuxResources, dir: string): void;
}

/** OCI's "-1 means unlimited": any negative number. */
export function isUnlimited(n: number): boolean {
  return n < 0;
}

/** `major:minor` with `*` for a wildcard (null, undefined or -1). */
export function deviceNumber(major: number | null | undefined, minor: number | null | undefined): string {
  const part = (n: number | null | undefined) => (n === null || n === undefined || n < 0 ? '*' : String(n));
  return `${part(major)}:${part(minor)}`;
}
