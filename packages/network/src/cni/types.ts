// zod schemas of what crosses the CNI boundary: plugin output (result, error, version) and our
// cache file. Plugins may print more fields than the spec lists; those pass through.
import { z } from 'zod';

export const CniInterface = z.looseObject({
  name: z.string(),
  mac: z.string().optional(),
  mtu: z.number().optional(),
  sandbox: z.string().optional(),
});
export type CniInterface = z.infer<typeof CniInterface>;

export const CniIpConfig = z.looseObject({
  address: z.string(), // CIDR: 10.1.2.3/24
  gateway: z.string().optional(),
  interface: z.number().int().nonnegative().optional(), // index into interfaces
});
export type CniIpConfig = z.infer<typeof CniIpConfig>;

export const CniRoute = z.looseObject({ dst: z.string(), gw: z.string().optional() });
export type CniRoute = z.infer<typeof CniRoute>;

export const CniDns = z.looseObject({
  nameservers: z.array(z.string()).optional(),
  domain: z.string().optional(),
  search: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
});

/** A result in the 1.0.0 shape (0.3.x/0.4.0 results have the same fields plus `version` in ips). */
export const CniResult = z.looseObject({
  cniVersion: z.string(),
  interfaces: z.array(CniInterface).optional(),
  ips: z.array(CniIpConfig).optional(),
  routes: z.array(CniRoute).optional(),
  dns: CniDns.optional(),
});
export type CniResult = z.infer<typeof CniResult>;

export const CniErrorOutput = z.looseObject({
  cniVersion: z.string().optional(),
  code: z.number().int(),
  msg: z.string(),
  details: z.string().optional(),
});

export const CniVersionResult = z.looseObject({
  cniVersion: z.string(),
  supportedVersions: z.array(z.string()),
});
export type CniVersionResult = z.infer<typeof CniVersionResult>;

/** One plugin of a network config list: `type` names the binary; the rest is the plugin's. */
export const CniPluginConf = z.looseObject({
  type: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a plugin type is a file name'),
  capabilities: z.record(z.string(), z.boolean()).optional(),
});
export type CniPluginConf = z.infer<typeof CniPluginConf>;

/** A network configuration list (.conflist). */
export const CniConfList = z.object({
  cniVersion: z.string(),
  name: z.string().min(1),
  disableCheck: z.boolean().optional(),
  plugins: z.array(CniPluginConf).min(1),
});
export type CniConfList = z.infer<typeof CniConfList>;

/**
 * What we keep on disk per attachment so DEL works after a restart with the exact config that
 * ADD used (libcni keeps the same facts under /var/lib/cni/results).
 */
export const CniCacheEntry = z.object({
  kind: z.literal('cniCacheV1'),
  containerId: z.string(),
  networkName: z.string(),
  ifName: z.string(),
  netns: z.string(),
  config: CniConfList,
  capabilityArgs: z.record(z.string(), z.unknown()),
  cniArgs: z.array(z.tuple([z.string(), z.string()])),
  result: CniResult.optional(),
});
export type CniCacheEntry = z.infer<typeof CniCacheEntry>;
