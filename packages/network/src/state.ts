// The manager's state: networks, endpoints (one per container per network) and containers
// (their pinned netns and the files we render for them), in one JSON file written atomically.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './atomic.js';
import { CniConfList } from './cni/types.js';
import { NetworkError } from './errors.js';

export const NetworkRecord = z.object({
  id: z.string(),
  name: z.string(),
  /** 'host' and 'null' are the predefined `host` and `none` networks: listed, never attached */
  driver: z.enum(['bridge', 'host', 'null']),
  created: z.string(),
  subnet: z.string(),
  gateway: z.string(),
  internal: z.boolean(),
  labels: z.record(z.string(), z.string()),
  options: z.record(z.string(), z.string()),
  /** the host bridge interface */
  bridge: z.string(),
  /** the CNI network name (iptables comments, host-local's directory) */
  cniName: z.string(),
  /** a predefined network (bridge, host, none): not removable; the default `bridge` has no name resolution between its containers, as in Docker */
  isDefault: z.boolean(),
});
export type NetworkRecord = z.infer<typeof NetworkRecord>;

export const PublishedPort = z.object({
  /** '' for every host address */
  hostIp: z.string(),
  hostPort: z.number().int().min(1).max(65535),
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']),
});
export type PublishedPort = z.infer<typeof PublishedPort>;

export const EndpointRecord = z.object({
  endpointId: z.string(),
  containerId: z.string(),
  networkId: z.string(),
  /** 'attaching' is written before CNI ADD: after a crash it means "undo me" */
  state: z.enum(['attaching', 'attached']),
  ifName: z.string(),
  netnsPath: z.string(),
  name: z.string().optional(),
  aliases: z.array(z.string()),
  hostname: z.string().optional(),
  ports: z.array(PublishedPort),
  conf: CniConfList,
  ipAddress: z.string().optional(),
  prefixLen: z.number().int().optional(),
  gateway: z.string().optional(),
  macAddress: z.string().optional(),
  hostVeth: z.string().optional(),
});
export type EndpointRecord = z.infer<typeof EndpointRecord>;

export const ContainerFilesRecord = z.object({
  dir: z.string(),
  hostname: z.string(),
  domainname: z.string().optional(),
  extraHosts: z.array(z.tuple([z.string(), z.string()])),
});

export const ContainerRecord = z.object({
  containerId: z.string(),
  /** set when createNetns pinned one for this container */
  netnsPath: z.string().optional(),
  files: ContainerFilesRecord.optional(),
});
export type ContainerRecord = z.infer<typeof ContainerRecord>;

export const State = z.object({
  version: z.literal(1),
  networks: z.array(NetworkRecord),
  endpoints: z.array(EndpointRecord),
  containers: z.array(ContainerRecord),
});
export type State = z.infer<typeof State>;

export function emptyState(): State {
  return { version: 1, networks: [], endpoints: [], containers: [] };
}

export function loadState(path: string): State {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NetworkError('ESTATE', `network state ${path} is not JSON`, { path });
  }
  const r = State.safeParse(json);
  if (!r.success) throw new NetworkError('ESTATE', `network state ${path}: ${r.error.message}`, { path });
  return r.data;
}

export function saveState(path: string, state: State): void {
  writeFileAtomic(path, `${JSON.stringify(state, null, 1)}\n`, 0o600);
}
