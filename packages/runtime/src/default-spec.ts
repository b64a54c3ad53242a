// The config.json `spec` writes: @berth/oci-spec's copy of runc's default (and its rootless
// variant), read through the runtime's own view of the spec so callers get the runtime's types.
import { defaultSpec as ociDefaultSpec } from '@berth/oci-spec';
import { RuntimeSpec } from './spec.js';

export function defaultSpec(opts: { rootless?: boolean } = {}): RuntimeSpec {
  return RuntimeSpec.parse(ociDefaultSpec({ rootless: opts.rootless ?? false }));
}
