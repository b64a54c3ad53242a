import { describe, expect, it } from 'vitest';
import { OCI_RUNTIME_SPEC_VERSION } from './index.js';

describe('oci-spec', () => {
  it('targets runtime spec 1.2', () => {
    expect(OCI_RUNTIME_SPEC_VERSION).toMatch(/^1\.2\./);
  });
});
