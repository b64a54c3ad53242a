import { endianness } from 'node:os';
import type { Platform } from './image/descriptor.js';

// Platform normalisation and matching, with containerd's rules (platforms/database.go, compare.go):
// architecture aliases (x86_64 → amd64, aarch64 → arm64, armhf → arm/v7...), arm64's v8 is its default
// variant, arm defaults to v7, and a host can run older variants of its own architecture
// (arm/v7 runs v6 and v5 images; amd64/v3 runs v2 and v1).

/** The parts of a platform that matching looks at. */
export type PlatformSpec = Pick<Platform, 'os' | 'architecture' | 'variant' | 'os.version'>;

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
};

function normalizeVariant(architecture: string, variant: string | undefined): string | undefined {
  let v = variant === undefined || variant === '' ? undefined : variant.toLowerCase();
  if (v !== undefined && /^[0-9]+$/.test(v)) v = `v${v}`;
  switch (architecture) {
    case 'arm64':
      // v8 is the only arm64 baseline: `linux/arm64` and `linux/arm64/v8` are the same platform.
      return v === 'v8' ? undefined : v;
    case 'arm':
      return v ?? 'v7';
    case 'amd64':
      return v === 'v1' ? undefined : v;
    default:
      return v;
  }
}

/** Canonical form: lowercase os/architecture, aliases resolved, default variants dropped or filled in. */
export function normalizePlatform<P extends PlatformSpec>(platform: P): P {
  const os = platform.os.toLowerCase();
  const rawArch = platform.architecture.toLowerCase();
  const alias = ARCH_ALIASES[rawArch];
  const architecture = alias?.architecture ?? rawArch;
  const variant = normalizeVariant(architecture, platform.variant ?? alias?.variant);
  const out: P = { ...platform, os, architecture };
  if (variant === undefined) delete out.variant;
  else out.variant = variant;
  return out;
}

function variantLevel(variant: string | undefined, fallback: number): number {
  const m = /^v([0-9]+)$/.exec(variant ?? '');
  return m ? Number(m[1]) : fallback;
}

/**
 * Whether an image built for `have` runs on `want` (typically the host): same os and architecture after
 * normalisation; for arm and amd64 any variant up to the wanted one; otherwise the same variant
 * (a `want` without variant accepts any variant). When `want` names an `os.version`, it must be equal.
 */
export function platformMatches(want: PlatformSpec, have: PlatformSpec): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  if (w['os.version'] !== undefined && w['os.version'] !== h['os.version']) return false;
  switch (w.architecture) {
    case 'arm':
      return variantLevel(h.variant, 7) <= variantLevel(w.variant, 7);
    case 'amd64':
      return variantLevel(h.variant, 1) <= variantLevel(w.variant, 1);
    default:
      return w.variant === undefined || w.variant === h.variant;
  }
}

/**
 * Pick the entry of an index/manifest list that best suits `want`: among matching entries, the one with
 * the highest variant not above the wanted one (arm/v7 before arm/v6), first in list order on ties.
 */
export function selectPlatform<D extends { platform?: PlatformSpec | undefined }>(
  entries: readonly D[],
  want: PlatformSpec,
): D | undefined {
  let best: D | undefined;
  let bestLevel = -1;
  for (const entry of entries) {
    if (entry.platform === undefined || !platformMatches(want, entry.platform)) continue;
    const level = variantLevel(normalizePlatform(entry.platform).variant, 0);
    if (level > bestLevel) {
      best = entry;
      bestLevel = level;
    }
  }
  return best;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

/** The platform this process runs on, in OCI terms (`{ os: 'linux', architecture: 'amd64' }`). */
export function hostPlatform(): Platform {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  let architecture = NODE_ARCH[process.arch] ?? process.arch;
  if (process.arch === 'ppc64') architecture = endianness() === 'LE' ? 'ppc64le' : 'ppc64';
  const platform: Platform = { os, architecture };
  if (architecture === 'arm') {
    const armVersion = (process.config.variables as Record<string, unknown>).arm_version;
    platform.variant = `v${typeof armVersion === 'string' || typeof armVersion === 'number' ? armVersion : '7'}`;
  }
  return platform;
}

/** A `--platform` string is not `os[/arch[/variant]]`. */
export class InvalidPlatformError extends Error {
  readonly code = 'EINVALIDPLATFORM' as const;
  readonly platform: string;
  constructor(platform: string) {
    super(`invalid platform ${JSON.stringify(platform)}: expected os[/arch[/variant]]`);
    this.name = 'InvalidPlatformError';
    this.platform = platform;
  }
}

/** `linux/arm64/v8`-style text (containerd platforms.Format). */
export function formatPlatform(platform: PlatformSpec): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== '')
    .join('/');
}

/**
 * Parse `os[/arch[/variant]]` or a bare architecture (`arm64`, meaning the host's os), as
 * `docker run --platform` accepts. The result is normalised. Throws on empty parts.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new InvalidPlatformError(text);
  }
  const host = hostPlatform();
  const [first = '', second, third] = parts;
  let platform: Platform;
  if (second === undefined) {
    const lower = first.toLowerCase();
    const isOs = ['linux', 'windows', 'darwin', 'freebsd'].includes(lower);
    platform = isOs
      ? { os: lower, architecture: host.architecture, ...(host.variant ? { variant: host.variant } : {}) }
      : { os: host.os, architecture: lower };
  } else {
    platform = { os: first, architecture: second, ...(third !== undefined ? { variant: third } : {}) };
  }
  return normalizePlatform(platform);
}
