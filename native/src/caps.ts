// Capability and process-attribute helpers over prctl(2): names <-> masks for the init plan, the
// bounding and ambient sets, no_new_privs, keepcaps, the parent-death signal and child subreaper.
import { native } from './binding.js';

const K = native.constants;

/** 'CAP_SYS_ADMIN' -> 21, from the C headers; names without the prefix work too. */
export function capabilityNumber(name: string): number {
  const n = K[name.startsWith('CAP_') ? name : `CAP_${name.toUpperCase()}`];
  if (n === undefined || name === 'CAP_LAST_CAP')
    throw new TypeError(`unknown capability ${JSON.stringify(name)}`);
  return n;
}

/** The bit mask of a list of capability names (OCI process.capabilities.* lists). */
export function capabilityMask(names: readonly string[]): bigint {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(capabilityNumber(name));
  return mask;
}

/** The names of the capabilities set in a mask (the ones this build's headers know). */
export function capabilityNames(mask: bigint): string[] {
  return Object.entries(K)
    .filter(([k, v]) => k.startsWith('CAP_') && k !== 'CAP_LAST_CAP' && (mask & (1n << BigInt(v))) !== 0n)
    .sort((a, b) => a[1] - b[1])
    .map(([k]) => k);
}

/** 'RLIMIT_NOFILE' (or 'nofile') -> its resource number. */
export function rlimitResource(name: string): number {
  const n = K[name.startsWith('RLIMIT_') ? name : `RLIMIT_${name.toUpperCase()}`];
  if (n === undefined) throw new TypeError(`unknown rlimit ${JSON.stringify(name)}`);
  return n;
}

/** Whether `cap` is in the calling thread's bounding set. */
export function capBoundingRead(cap: number): boolean {
  return native.prctl(K.PR_CAPBSET_READ!, cap) === 1;
}

/** Drops `cap` from the calling thread's bounding set (needs CAP_SETPCAP). */
export function capBoundingDrop(cap: number): void {
  native.prctl(K.PR_CAPBSET_DROP!, cap);
}

export function ambientRaise(cap: number): void {
  native.prctl(K.PR_CAP_AMBIENT!, K.PR_CAP_AMBIENT_RAISE!, cap);
}

export function ambientLower(cap: number): void {
  native.prctl(K.PR_CAP_AMBIENT!, K.PR_CAP_AMBIENT_LOWER!, cap);
}

export function ambientIsSet(cap: number): boolean {
  return native.prctl(K.PR_CAP_AMBIENT!, K.PR_CAP_AMBIENT_IS_SET!, cap) === 1;
}

export function ambientClearAll(): void {
  native.prctl(K.PR_CAP_AMBIENT!, K.PR_CAP_AMBIENT_CLEAR_ALL!);
}

/** Sets no_new_privs on the calling thread (irreversible). */
export function setNoNewPrivs(): void {
  native.prctl(K.PR_SET_NO_NEW_PRIVS!, 1);
}

export function getNoNewPrivs(): boolean {
  return native.prctl(K.PR_GET_NO_NEW_PRIVS!) === 1;
}

/** Keep permitted capabilities across a setuid away from 0 (calling thread). */
export function setKeepCaps(on: boolean): void {
  native.prctl(K.PR_SET_KEEPCAPS!, on ? 1 : 0);
}

/** The signal the calling thread gets when its parent thread dies; 0 turns it off. */
export function setParentDeathSignal(signal: number): void {
  native.prctl(K.PR_SET_PDEATHSIG!, signal);
}

/**
 * Makes this process a child subreaper: orphaned descendants are re-parented to it instead of
 * init (a shim keeps waiting for a container's processes this way). Process-wide.
 */
export function setChildSubreaper(on: boolean): void {
  native.prctl(K.PR_SET_CHILD_SUBREAPER!, on ? 1 : 0);
}
