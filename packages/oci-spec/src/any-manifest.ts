import { DockerManifest, DockerManifestList } from './docker/manifest.js';
import { parseOrThrow, SpecValidationError } from './errors.js';
import { ImageIndex } from './image/image-index.js';
import { ImageManifest } from './image/manifest.js';
import { MediaTypes } from './image/media-types.js';

// What a registry returns for GET /v2/<name>/manifests/<ref>: one of four document kinds, told apart by
// the document's `mediaType`, else the response's Content-Type, else (OCI only) by shape.

export type AnyManifest =
  | { kind: 'oci-manifest'; mediaType: string; manifest: ImageManifest }
  | { kind: 'oci-index'; mediaType: string; index: ImageIndex }
  | { kind: 'docker-manifest'; mediaType: string; manifest: DockerManifest }
  | { kind: 'docker-manifest-list'; mediaType: string; index: DockerManifestList };

/** True for the two "list of manifests" kinds (resolve a platform before pulling). */
export function isIndexKind(
  m: AnyManifest,
): m is Extract<AnyManifest, { kind: 'oci-index' | 'docker-manifest-list' }> {
  return m.kind === 'oci-index' || m.kind === 'docker-manifest-list';
}

function bareMediaType(contentType: string | undefined): string | undefined {
  const bare = contentType?.split(';')[0]?.trim().toLowerCase();
  return bare === '' ? undefined : bare;
}

/**
 * Validate a manifest-like document (already JSON.parse'd). `contentType` is the HTTP Content-Type it
 * came with, if any. Throws SpecValidationError (EINVALIDSPEC) naming the JSON path, or for an unknown
 * or unsupported media type (Docker schema 1), or when the document contradicts its Content-Type.
 */
export function parseManifest(value: unknown, contentType?: string): AnyManifest {
  const declared =
    typeof value === 'object' && value !== null && 'mediaType' in value && typeof value.mediaType === 'string'
      ? value.mediaType
      : undefined;
  const header = bareMediaType(contentType);
  if (declared !== undefined && header !== undefined && declared !== header) {
    throw new SpecValidationError('manifest', [
      { path: 'mediaType', message: `document says ${declared} but Content-Type is ${header}` },
    ]);
  }
  let mediaType = declared ?? header;
  if (mediaType === undefined && typeof value === 'object' && value !== null) {
    mediaType = 'manifests' in value ? MediaTypes.ociImageIndex : MediaTypes.ociImageManifest;
  }
  switch (mediaType) {
    case MediaTypes.ociImageManifest:
      return { kind: 'oci-manifest', mediaType, manifest: parseOrThrow(ImageManifest, value, 'manifest') };
    case MediaTypes.ociImageIndex:
      return { kind: 'oci-index', mediaType, index: parseOrThrow(ImageIndex, value, 'image index') };
    case MediaTypes.dockerManifest:
      return {
        kind: 'docker-manifest',
        mediaType,
        manifest: parseOrThrow(DockerManifest, value, 'manifest'),
      };
    case MediaTypes.dockerManifestList:
      return {
        kind: 'docker-manifest-list',
        mediaType,
        index: parseOrThrow(DockerManifestList, value, 'manifest list'),
      };
    case MediaTypes.dockerManifestV1:
    case MediaTypes.dockerManifestV1Signed:
      throw new SpecValidationError('manifest', [
        { path: 'mediaType', message: `Docker schema 1 manifests (${mediaType}) are not supported` },
      ]);
    default:
      throw new SpecValidationError('manifest', [
        {
          path: declared !== undefined ? 'mediaType' : '(root)',
          message: `unknown manifest media type ${String(mediaType)}`,
        },
      ]);
  }
}
