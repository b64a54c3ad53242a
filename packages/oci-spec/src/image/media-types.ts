// Media types of the OCI image spec v1.1 (media-types.md) and of Docker's image manifest v2 schema 2,
// which registries still serve. Values are the exact strings sent in Content-Type/Accept headers.

export const MediaTypes = {
  /** A content descriptor on its own. */
  ociDescriptor: 'application/vnd.oci.descriptor.v1+json',
  /** The `oci-layout` file. */
  ociLayoutHeader: 'application/vnd.oci.layout.header.v1+json',
  ociImageIndex: 'application/vnd.oci.image.index.v1+json',
  ociImageManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociImageConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  /** Deprecated in image-spec 1.1: "non-distributable" layers. */
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  /** The empty JSON object `{}` (digest sha256:44136fa3...), used as config/layer of artifacts. */
  ociEmpty: 'application/vnd.oci.empty.v1+json',

  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerImageConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerPluginConfig: 'application/vnd.docker.plugin.v1+json',
  /** Legacy schema 1 manifests (not supported by berth, listed to recognise and refuse them). */
  dockerManifestV1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerManifestV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;
export type MediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

/** The `{}` blob every OCI artifact without a config points at (image-spec 1.1 "Guidance for an empty descriptor"). */
export const EMPTY_JSON_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** Manifest media types a puller should put in its Accept header, preferred first. */
export const MANIFEST_ACCEPT: readonly string[] = [
  MediaTypes.ociImageIndex,
  MediaTypes.ociImageManifest,
  MediaTypes.dockerManifestList,
  MediaTypes.dockerManifest,
];
