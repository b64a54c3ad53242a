// Docker's filters for `ps`, `prune` and `volume ls`, and the shapes `ps`/`inspect` show.
import type { ContainerSummary, Filters } from '@berth/api';
import type { ContainerRecord } from './types.js';

export function untilMs(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = /^(\d+)([smh])$/.exec(v);
  if (d) return Date.now() - Number(d[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[d[2] as 's' | 'm' | 'h'];
  return Date.parse(v);
}

export function labelsMatch(labels: Record<string, string>, filters: string[]): boolean {
  return filters.every((l) => {
    const [k, v] = l.split('=', 2) as [string, string?];
    return labels[k] !== undefined && (v === undefined || labels[k] === v);
  });
}

export function filterContainer(c: ContainerRecord, f: Filters): boolean {
  if (f.id?.length && !f.id.some((x) => c.Id.startsWith(x))) return false;
  if (f.name?.length && !f.name.some((x) => nameMatches(x, c.Name))) return false;
  if (f.status?.length && !f.status.includes(c.State.Status)) return false;
  if (f.health?.length && !f.health.includes(c.State.Health?.Status ?? 'none')) return false;
  if (f.exited?.length && !(c.State.Status === 'exited' && f.exited.includes(String(c.State.ExitCode))))
    return false;
  if (
    f.ancestor?.length &&
    !f.ancestor.some((a) => a === c.Config.Image || a === c.Image || c.Image.startsWith(`sha256:${a}`))
  )
    return false;
  if (!labelsMatch(c.Config.Labels ?? {}, f.label ?? [])) return false;
  if (
    f.volume?.length &&
    !c.MountPoints.some((m) => f.volume!.includes(m.Name ?? '') || f.volume!.includes(m.Destination))
  )
    return false;
  if (f.network?.length && !f.network.includes(c.HostConfig.NetworkMode ?? 'default')) return false;
  return true;
}

/** Docker's name filter: a regular expression over the name (with or without its slash). */
export function nameMatches(pattern: string, name: string): boolean {
  try {
    const re = new RegExp(pattern);
    return re.test(name.slice(1)) || re.test(name);
  } catch {
    return name.slice(1).includes(pattern);
  }
}

export function mountOut(m: ContainerRecord['MountPoints'][number]) {
  return {
    Type: m.Type,
    ...(m.Name ? { Name: m.Name } : {}),
    Source: m.Source,
    Destination: m.Destination,
    ...(m.Driver ? { Driver: m.Driver } : {}),
    Mode: m.Mode,
    RW: m.RW,
    Propagation: m.Propagation,
  };
}

/** The Ports column: published ports from the network settings, then exposed-only ones. */
export function portsOf(c: ContainerRecord): ContainerSummary['Ports'] {
  const out: ContainerSummary['Ports'] = [];
  const published = (c.NetworkSettings?.Ports ?? {}) as Record<
    string,
    { HostIp?: string; HostPort?: string }[] | null
  >;
  const seen = new Set<string>();
  for (const [key, bindings] of Object.entries(published)) {
    const [port, proto = 'tcp'] = key.split('/');
    for (const b of bindings ?? []) {
      out.push({
        IP: b.HostIp || '0.0.0.0',
        PrivatePort: Number(port),
        ...(b.HostPort ? { PublicPort: Number(b.HostPort) } : {}),
        Type: proto as 'tcp' | 'udp' | 'sctp',
      });
      seen.add(key);
    }
  }
  for (const key of Object.keys(c.Config.ExposedPorts ?? {})) {
    if (seen.has(key)) continue;
    const [port, proto = 'tcp'] = key.split('/');
    out.push({ PrivatePort: Number(port), Type: proto as 'tcp' | 'udp' | 'sctp' });
  }
  return out;
}

export function endpointOf(
  network: string,
  r: { ipAddress: string; prefixLen: number; gateway: string; macAddress: string },
) {
  return {
    IPAddress: r.ipAddress,
    IPPrefixLen: r.prefixLen,
    Gateway: r.gateway,
    MacAddress: r.macAddress,
    NetworkID: network,
  };
}
