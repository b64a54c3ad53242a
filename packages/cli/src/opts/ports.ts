// -p / --publish specs (docker's nat.ParsePortSpec):
//   80 | 80/udp | 8080:80 | 127.0.0.1:8080:80 | 127.0.0.1::80 | [::1]:8080:80 | 8000-8001:80-81 | 8000-8010:80
import { CliError } from '../errors.js';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface PortSpecs {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, PortBinding[]>;
}

function parseRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new CliError(`invalid ${what}: ${text}`, 125);
  const a = Number(m[1]);
  const b = m[2] !== undefined ? Number(m[2]) : a;
  if (a < 0 || b > 65535 || b < a || (what === 'containerPort' && a === 0))
    throw new CliError(`invalid ${what}: ${text}`, 125);
  return [a, b];
}

export function parsePortSpec(spec: string, into: PortSpecs = { exposed: {}, bindings: {} }): PortSpecs {
  let rest = spec;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new CliError(`invalid proto: ${proto}`, 125);
  }
  let ip = '';
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw new CliError(`invalid IP address: ${rest}`, 125);
    ip = rest.slice(1, end);
    rest = rest.slice(end + 1).replace(/^:/, '');
  }
  const parts = rest.split(':');
  let hostPart = '';
  let containerPart: string;
  if (parts.length === 1) containerPart = parts[0]!;
  else if (parts.length === 2) [hostPart, containerPart] = parts as [string, string];
  else if (parts.length === 3 && !ip) [ip, hostPart, containerPart] = parts as [string, string, string];
  else throw new CliError(`invalid port format: ${spec}`, 125);
  if (ip && !/^[\d.]+$|:/.test(ip)) throw new CliError(`invalid IP address: ${ip}`, 125);
  if (containerPart === '') throw new CliError(`no port specified: ${spec}<empty>`, 125);
  const [cStart, cEnd] = parseRange(containerPart, 'containerPort');
  let hStart = 0;
  let hEnd = 0;
  if (hostPart !== '') [hStart, hEnd] = parseRange(hostPart, 'hostPort');
  const cCount = cEnd - cStart + 1;
  const hCount = hostPart === '' ? 0 : hEnd - hStart + 1;
  if (hostPart !== '' && cCount !== hCount && cCount !== 1) {
    throw new CliError(
      `invalid ranges specified for container and host Ports: ${containerPart} and ${hostPart}`,
      125,
    );
  }
  for (let k = 0; k < cCount; k++) {
    const key = `${cStart + k}/${proto}`;
    into.exposed[key] = {};
    let hostPort = '';
    if (hostPart !== '') hostPort = cCount === 1 && hCount > 1 ? `${hStart}-${hEnd}` : String(hStart + k);
    const list = into.bindings[key] ?? [];
    list.push({ HostIp: ip, HostPort: hostPort });
    into.bindings[key] = list;
  }
  return into;
}

export function parsePorts(specs: string[], expose: string[]): PortSpecs {
  const out: PortSpecs = { exposed: {}, bindings: {} };
  for (const s of specs) parsePortSpec(s, out);
  for (const e of expose) {
    const [p, proto = 'tcp'] = e.split('/');
    const [a, b] = parseRange(p!, 'containerPort');
    for (let x = a; x <= b; x++) out.exposed[`${x}/${proto}`] = {};
  }
  return out;
}
