// Port publishing: validating -p mappings, choosing ephemeral host ports, refusing ports that are
// taken (by another published port or by a host socket), in portmap's runtimeConfig shape.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { NetworkError } from './errors.js';
import type { PublishedPort } from './state.js';
import { parseIPv4 } from './subnet.js';

export interface PortMapping {
  /** a host address to bind; all addresses when omitted or '' / '0.0.0.0' */
  hostIp?: string;
  /** 0 or omitted: an ephemeral port is chosen and reported */
  hostPort?: number;
  containerPort: number;
  protocol?: 'tcp' | 'udp';
}

function validPort(n: unknown, allowZero: boolean): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= (allowZero ? 0 : 1) && n <= 65535;
}

/** Binds `port` (0: any) on the host to see that it is free; returns the bound port. */
function probe(protocol: 'tcp' | 'udp', hostIp: string, port: number): Promise<number> {
  const addr = hostIp === '' ? '0.0.0.0' : hostIp;
  return new Promise((resolve, reject) => {
    if (protocol === 'tcp') {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen({ host: addr, port, exclusive: true }, () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : port));
      });
    } else {
      const sock = createSocket('udp4');
      sock.once('error', reject);
      sock.bind({ address: addr, port, exclusive: true }, () => {
        const p = sock.address().port;
        sock.close(() => resolve(p));
      });
    }
  });
}

function clash(a: PublishedPort, b: { hostIp: string; hostPort: number; protocol: string }): boolean {
  return (
    a.protocol === b.protocol &&
    a.hostPort === b.hostPort &&
    (a.hostIp === '' || b.hostIp === '' || a.hostIp === b.hostIp)
  );
}

/** Resolves host ports (ephemeral ones chosen) and checks none is in use. */
export async function resolvePorts(
  wanted: readonly PortMapping[],
  inUse: readonly PublishedPort[],
): Promise<PublishedPort[]> {
  const out: PublishedPort[] = [];
  for (const [i, p] of wanted.entries()) {
    const where = `ports[${i}]`;
    const protocol = p.protocol ?? 'tcp';
    if (protocol !== 'tcp' && protocol !== 'udp')
      throw new NetworkError(
        'EINVALID',
        `${where}.protocol ${JSON.stringify(protocol)}: only tcp and udp can be published`,
      );
    if (!validPort(p.containerPort, false))
      throw new NetworkError(
        'EINVALID',
        `${where}.containerPort ${JSON.stringify(p.containerPort)} is not a port (1-65535)`,
      );
    if (p.hostPort !== undefined && !validPort(p.hostPort, true))
      throw new NetworkError(
        'EINVALID',
        `${where}.hostPort ${JSON.stringify(p.hostPort)} is not a port (0-65535)`,
      );
    let hostIp = p.hostIp ?? '';
    if (hostIp === '0.0.0.0') hostIp = '';
    if (hostIp !== '' && parseIPv4(hostIp) === undefined)
      throw new NetworkError('EINVALID', `${where}.hostIp ${JSON.stringify(hostIp)} is not an IPv4 address`);
    const taken = [...inUse, ...out];
    let hostPort = p.hostPort ?? 0;
    if (hostPort !== 0) {
      if (taken.some((t) => clash(t, { hostIp, hostPort, protocol })))
        throw new NetworkError(
          'ECONFLICT',
          `Bind for ${hostIp || '0.0.0.0'}:${hostPort} failed: port is already allocated`,
        );
      await probe(protocol, hostIp, hostPort).catch((e: NodeJS.ErrnoException) => {
        throw new NetworkError(
          e.code === 'EADDRINUSE' ? 'ECONFLICT' : 'EINVALID',
          `Bind for ${hostIp || '0.0.0.0'}:${hostPort} failed: ${e.code === 'EADDRINUSE' ? 'port is already in use on the host' : e.message}`,
        );
      });
    } else {
      // the kernel picks from ip_local_port_range; retry when it hands back one we published
      for (let tries = 0; ; tries++) {
        const cand = await probe(protocol, hostIp, 0).catch((e: Error) => {
          throw new NetworkError(
            'EINVALID',
            `${where}: cannot choose a host port on ${hostIp || '0.0.0.0'}: ${e.message}`,
          );
        });
        if (!taken.some((t) => clash(t, { hostIp, hostPort: cand, protocol }))) {
          hostPort = cand;
          break;
        }
        if (tries > 50) throw new NetworkError('ECONFLICT', `${where}: no free ephemeral host port`);
      }
    }
    out.push({ hostIp, hostPort, containerPort: p.containerPort, protocol });
  }
  return out;
}

/** portmap's runtimeConfig.portMappings. */
export function portmapArgs(ports: readonly PublishedPort[]): Record<string, unknown>[] {
  return ports.map((p) => ({
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: p.protocol,
    ...(p.hostIp ? { hostIP: p.hostIp } : {}),
  }));
}
