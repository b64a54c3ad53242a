// Docker's default capability set for unprivileged containers (moby's oci/caps/defaults.go): what
// `docker run` and the classic builder's RUN steps get unless told otherwise. Shared by berth's
// daemon and builder so the two cannot drift apart.

/** The 14 capabilities Docker gives a container by default, in moby's order. */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = Object.freeze([
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
]);
