/** The OCI runtime spec version the runtime schemas implement. */
export const OCI_RUNTIME_SPEC_VERSION = '1.2.1';
/** The OCI image spec version the image schemas implement. */
export const OCI_IMAGE_SPEC_VERSION = '1.1.1';
