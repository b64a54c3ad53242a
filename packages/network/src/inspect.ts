// Docker's `network inspect` / `GET /networks/{id}` shape, built from our records.
import type { EndpointRecord, NetworkRecord } from './state.js';

export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: {
    Driver: 'default';
    Options: Record<string, string> | null;
    Config: { Subnet: string; Gateway: string }[];
  };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<
    string,
    { Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string }
  >;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export function toInspect(net: NetworkRecord, endpoints: readonly EndpointRecord[]): NetworkInspect {
  const containers: NetworkInspect['Containers'] = {};
  for (const ep of endpoints) {
    if (ep.networkId !== net.id || ep.state !== 'attached') continue;
    containers[ep.containerId] = {
      Name: ep.name ?? '',
      EndpointID: ep.endpointId,
      MacAddress: ep.macAddress ?? '',
      IPv4Address: ep.ipAddress ? `${ep.ipAddress}/${ep.prefixLen}` : '',
      IPv6Address: '',
    };
  }
  return {
    Name: net.name,
    Id: net.id,
    Created: net.created,
    Scope: 'local',
    Driver: net.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: null,
      Config: net.subnet ? [{ Subnet: net.subnet, Gateway: net.gateway }] : [],
    },
    Internal: net.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: net.options,
    Labels: net.labels,
  };
}
