// Pre-defined annotation keys of the OCI image spec v1.1 (annotations.md). Annotations themselves are
// a string→string map (the `annotations` field of descriptors, manifests and indexes).

export const ImageAnnotations = {
  /** RFC 3339 date and time the image was built. */
  created: 'org.opencontainers.image.created',
  authors: 'org.opencontainers.image.authors',
  url: 'org.opencontainers.image.url',
  documentation: 'org.opencontainers.image.documentation',
  source: 'org.opencontainers.image.source',
  version: 'org.opencontainers.image.version',
  revision: 'org.opencontainers.image.revision',
  vendor: 'org.opencontainers.image.vendor',
  licenses: 'org.opencontainers.image.licenses',
  /** The tag of the image in an image layout's index.json (e.g. `1.0`, `latest`). */
  refName: 'org.opencontainers.image.ref.name',
  title: 'org.opencontainers.image.title',
  description: 'org.opencontainers.image.description',
  baseDigest: 'org.opencontainers.image.base.digest',
  baseName: 'org.opencontainers.image.base.name',
  /** containerd's convention for the full reference of an image in an OCI layout. */
  containerdImageName: 'io.containerd.image.name',
} as const;
export type ImageAnnotationKey = (typeof ImageAnnotations)[keyof typeof ImageAnnotations];
