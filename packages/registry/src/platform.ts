import {
  type Descriptor,
  type DockerManifestList,
  type DockerManifestListEntry,
  formatPlatform,
  hostPlatform,
  type ImageIndex,
  type PlatformSpec,
  selectPlatform,
} from '@berth/oci-spec';
import { RegistryError } from './errors.js';

/**
 * The manifest of an index (or Docker manifest list) for a platform, default the host's, by
 * @berth/oci-spec's containerd-style matching: among matching entries the highest variant not above
 * the wanted one wins, list order breaks ties. Entries without a platform (attestations) never match.
 */
export function selectManifest(
  index: ImageIndex | DockerManifestList,
  want: PlatformSpec = hostPlatform(),
): Descriptor | DockerManifestListEntry {
  const entries: readonly (Descriptor | DockerManifestListEntry)[] = index.manifests;
  const chosen = selectPlatform(entries, want);
  if (chosen) return chosen;
  const available = entries
    .map((d) => (d.platform ? formatPlatform(d.platform) : undefined))
    .filter((p): p is string => p !== undefined);
  throw new RegistryError(
    'ENOMATCHINGPLATFORM',
    `no manifest for ${formatPlatform(want)} in the index (it has ${available.join(', ') || 'no platforms'})`,
  );
}
