import { describe, expect, it } from 'vitest';
import { berthVersion, versionText } from './version.js';

describe('berth version', () => {
  it('reports the package version and the OCI spec it targets', () => {
    expect(berthVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(versionText()).toContain('OCI runtime spec 1.2');
  });
});
