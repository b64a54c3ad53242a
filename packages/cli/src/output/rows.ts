// docker's formatter contexts: the fields --format sees for containers and images, as strings.
import type { ClientTypes } from '@berth/api';
import { ellipsis, humanDuration, humanSize, shortId } from './units.js';

type ContainerSummary = ClientTypes.ContainerSummary;
type ImageSummary = ClientTypes.ImageSummary;

function labelsText(labels: Record<string, string> | null | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

/** docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp". */
export function displayPorts(ports: ClientTypes.Port[] | null | undefined): string {
  const out = (ports ?? [])
    .slice()
    .sort((a, b) => a.PrivatePort - b.PrivatePort || a.Type.localeCompare(b.Type))
    .map((p) => {
      if (p.PublicPort === undefined || p.PublicPort === 0) return `${p.PrivatePort}/${p.Type}`;
      const ip = p.IP?.includes(':') ? `[${p.IP}]` : (p.IP ?? '');
      return `${ip}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`;
    });
  return [...new Set(out)].join(', ');
}

export const CONTAINER_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
};

export function containerRow(c: ContainerSummary, opts: { trunc: boolean; now?: number }) {
  const now = opts.now ?? Date.now();
  const names = (c.Names ?? [])
    .map((n) => n.replace(/^\//, ''))
    .filter((n) => !opts.trunc || !n.includes('/'));
  const image = opts.trunc && c.Image.startsWith('sha256:') ? shortId(c.Image) : c.Image;
  const created = new Date(c.Created * 1000);
  return {
    ID: opts.trunc ? shortId(c.Id) : c.Id,
    Image: image,
    Command: JSON.stringify(opts.trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: created
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC'),
    RunningFor: `${humanDuration(now - created.getTime())} ago`,
    Ports: displayPorts(c.Ports),
    State: c.State,
    Status: c.Status,
    Size: c.SizeRw !== undefined ? `${humanSize(c.SizeRw)} (virtual ${humanSize(c.SizeRootFs ?? 0)})` : '0B',
    Names: names.join(','),
    Labels: labelsText(c.Labels),
    Mounts: (c.Mounts ?? []).map((m) => m.Name || m.Source || '').join(','),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {})
      .sort()
      .join(','),
    LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Name).length),
    Label(name: string): string {
      return c.Labels?.[name] ?? '';
    },
  };
}

export const IMAGE_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  ID: 'IMAGE ID',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
  VirtualSize: 'VIRTUAL SIZE',
};

/** One row per tag (docker lists an image once per repository:tag; untagged as <none>). */
export function imageRows(img: ImageSummary, opts: { trunc: boolean; digests?: boolean; now?: number }) {
  const now = opts.now ?? Date.now();
  const tags = img.RepoTags?.filter((t) => t !== '<none>:<none>') ?? [];
  const digests = img.RepoDigests ?? [];
  const pairs: { repo: string; tag: string; digest: string }[] = [];
  for (const t of tags) {
    const i = t.lastIndexOf(':');
    const repo = t.slice(0, i);
    const d = digests.find((x) => x.startsWith(`${repo}@`));
    pairs.push({ repo, tag: t.slice(i + 1), digest: d ? d.slice(d.indexOf('@') + 1) : '<none>' });
  }
  if (pairs.length === 0) {
    if (digests.length) {
      for (const d of digests)
        pairs.push({ repo: d.slice(0, d.indexOf('@')), tag: '<none>', digest: d.slice(d.indexOf('@') + 1) });
    } else pairs.push({ repo: '<none>', tag: '<none>', digest: '<none>' });
  }
  const created = new Date(img.Created * 1000);
  return pairs.map((p) => ({
    Repository: p.repo,
    Tag: p.tag,
    Digest: p.digest,
    ID: opts.trunc ? shortId(img.Id) : img.Id,
    CreatedSince: img.Created ? `${humanDuration(now - created.getTime())} ago` : 'N/A',
    CreatedAt: created
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC'),
    Size: humanSize(img.Size),
    Containers: img.Containers !== undefined && img.Containers >= 0 ? String(img.Containers) : 'N/A',
    SharedSize: img.SharedSize !== undefined && img.SharedSize >= 0 ? humanSize(img.SharedSize) : 'N/A',
    UniqueSize:
      img.SharedSize !== undefined && img.SharedSize >= 0 ? humanSize(img.Size - img.SharedSize) : 'N/A',
    VirtualSize: humanSize(img.Size),
    Label(name: string): string {
      return img.Labels?.[name] ?? '';
    },
  }));
}
