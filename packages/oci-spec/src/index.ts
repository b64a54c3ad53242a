export const OCI_RUNTIME_SPEC_VERSION = '1.2.1';
