import { RegistryError } from './errors.js';
import { type Descriptor, hostPlatform, type ImageIndex, type Platform, platformMatches } from './spec.js';

/** `linux/arm64/v8` */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== '')
    .join('/');
}

/** `linux/arm64/v8` → Platform (os/arch required, variant optional). */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, ...extra] = text.split('/');
  if (!os || !architecture || extra.length > 0) {
    throw new RegistryError('EINVALID', `platform ${JSON.stringify(text)} is not os/arch[/variant]`);
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * The manifest of an index for a platform (default: the host's), by @berth/oci-spec's matching
 * rules; the first match in index order wins, as in containerd. Entries without a platform (such as
 * attestations) never match.
 */
export function selectManifest(index: ImageIndex, want: Platform = hostPlatform()): Descriptor {
  for (const descriptor of index.manifests) {
    if (descriptor.platform && platformMatches(want, descriptor.platform)) return descriptor;
  }
  const available = index.manifests
    .map((d) => (d.platform ? formatPlatform(d.platform) : undefined))
    .filter((p): p is string => p !== undefined);
  throw new RegistryError(
    'ENOMATCHINGPLATFORM',
    `no manifest for ${formatPlatform(want)} in the index (it has ${available.join(', ') || 'no platforms'})`,
  );
}
