// @berth/network's NetworkManager as the daemon's NetworkLike: Docker-shaped list/inspect/create.
import type { NetworkLike } from '@berth/daemon';
import type { NetworkManager } from '@berth/network';

export function networkAdapter(net: NetworkManager): NetworkLike {
  return {
    createNetns: (id) => net.createNetns(id),
    removeNetns: (id) => net.cleanupContainer(id),
    attach: async (o) => {
      const r = await net.attach({
        containerId: o.containerId,
        netnsPath: o.netnsPath,
        network: o.network,
        hostname: o.hostname,
        ...(o.name ? { name: o.name } : {}),
        ...(o.aliases ? { aliases: o.aliases } : {}),
        ...(o.ports ? { ports: o.ports.map((p) => ({ ...p, protocol: p.protocol as 'tcp' | 'udp' })) } : {}),
      } as Parameters<NetworkManager['attach']>[0]);
      return {
        ipAddress: r.ipAddress,
        prefixLen: r.prefixLen,
        gateway: r.gateway,
        macAddress: r.macAddress,
        ports: r.ports.map((p) => {
          const q = p as unknown as {
            hostIp?: string;
            hostPort: number;
            containerPort: number;
            protocol: string;
          };
          return {
            ...(q.hostIp ? { hostIp: q.hostIp } : {}),
            hostPort: q.hostPort,
            containerPort: q.containerPort,
            protocol: q.protocol,
          };
        }),
      };
    },
    detach: (id, network) => net.detach(id, network),
    containerFiles: (o) => net.containerFiles(o),
    list: (o) => {
      const f = o?.filters ?? {};
      return net
        .list({
          ...(f.name?.[0] ? { name: f.name[0] } : {}),
          ...(f.id?.[0] ? { id: f.id[0] } : {}),
          ...(f.label?.length ? { label: f.label } : {}),
        })
        .map((n) => net.inspect((n as unknown as { id?: string; Id?: string; name?: string }).name ?? ''));
    },
    inspect: (id) => net.inspect(id),
    create: async (body) => {
      const b = body as {
        Name: string;
        Driver?: string;
        Internal?: boolean;
        Labels?: Record<string, string>;
        Options?: Record<string, string>;
        IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
      };
      if (b.Driver && b.Driver !== 'bridge')
        throw Object.assign(new Error(`network driver ${b.Driver} is not supported by berth (bridge)`), {
          statusCode: 400,
        });
      const cfg = b.IPAM?.Config?.[0];
      const rec = await net.create({
        name: b.Name,
        driver: 'bridge',
        ...(cfg?.Subnet ? { subnet: cfg.Subnet } : {}),
        ...(cfg?.Gateway ? { gateway: cfg.Gateway } : {}),
        ...(b.Internal ? { internal: true } : {}),
        ...(b.Labels ? { labels: b.Labels } : {}),
        ...(b.Options ? { options: b.Options } : {}),
      } as Parameters<NetworkManager['create']>[0]);
      return { Id: (rec as unknown as { id: string }).id };
    },
    remove: (id) => net.remove(id),
    prune: async (o) => {
      const labels = (o as { filters?: Record<string, string[]> } | undefined)?.filters?.label;
      const names = await net.prune(labels?.length ? { label: labels } : {});
      return { NetworksDeleted: names };
    },
  };
}
