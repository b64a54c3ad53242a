import { Features } from '@berth/oci-spec';
import { expect, it } from 'vitest';
import { Runtime } from './runtime.js';

it('features() is a valid OCI Features document listing what the runtime carries out', () => {
  const f = new Runtime({ root: '/nonexistent-berth-root' }).features();
  expect(Features.safeParse(f).success).toBe(true);
  expect(f.linux.capabilities).toContain('CAP_SYS_ADMIN');
  expect(f.mountOptions).toEqual(expect.arrayContaining(['rbind', 'rprivate', 'nosuid']));
});
