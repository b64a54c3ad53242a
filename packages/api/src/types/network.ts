import { z } from 'zod';
import { StringMap } from './common.js';
import { EndpointSettings } from './container.js';

export const IPAMConfig = z.object({
  Subnet: z.string().optional(),
  IPRange: z.string().optional(),
  Gateway: z.string().optional(),
  AuxiliaryAddresses: StringMap.optional(),
});
export type IPAMConfig = z.infer<typeof IPAMConfig>;

export const IPAM = z.object({
  Driver: z.string().optional(),
  Config: z.array(IPAMConfig).optional(),
  Options: StringMap.optional(),
});
export type IPAM = z.infer<typeof IPAM>;

/** Body of POST /networks/create. */
export const NetworkCreate = z.object({
  Name: z.string().min(1, 'network name is required'),
  CheckDuplicate: z.boolean().optional(),
  Driver: z.string().optional(),
  Scope: z.string().optional(),
  Internal: z.boolean().optional(),
  Attachable: z.boolean().optional(),
  Ingress: z.boolean().optional(),
  ConfigOnly: z.boolean().optional(),
  ConfigFrom: z.object({ Network: z.string().optional() }).optional(),
  IPAM: IPAM.optional(),
  EnableIPv4: z.boolean().optional(),
  EnableIPv6: z.boolean().optional(),
  Options: StringMap.optional(),
  Labels: StringMap.optional(),
});
export type NetworkCreate = z.infer<typeof NetworkCreate>;

/** Body of POST /networks/{id}/connect. */
export const NetworkConnect = z.object({
  Container: z.string().min(1, 'container is required'),
  EndpointConfig: EndpointSettings.optional(),
});
export type NetworkConnect = z.infer<typeof NetworkConnect>;

/** Body of POST /networks/{id}/disconnect. */
export const NetworkDisconnect = z.object({
  Container: z.string().min(1, 'container is required'),
  Force: z.boolean().optional(),
});
export type NetworkDisconnect = z.infer<typeof NetworkDisconnect>;

export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  IPv4Address: string;
  IPv6Address: string;
}

/** GET /networks/{id} and each item of GET /networks. */
export interface Network {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv4?: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IPAMConfig[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom?: { Network: string };
  ConfigOnly?: boolean;
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export interface NetworkCreateResponse {
  Id: string;
  Warning: string;
}

export interface NetworkPruneResponse {
  NetworksDeleted: string[];
}
