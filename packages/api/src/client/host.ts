import { InvalidHostError } from './errors.js';

export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

/** Where the daemon listens: a unix socket or a TCP host:port. */
export type DaemonAddress =
  | { kind: 'unix'; socketPath: string; url: string }
  | { kind: 'tcp'; hostname: string; port: number; url: string };

/** Parses docker's host syntax: unix:///path, tcp://host:port, host:port, /path (a unix socket). */
export function parseHost(host: string): DaemonAddress {
  const h = host.trim();
  if (h === '') throw new InvalidHostError(host, 'empty');
  if (h.startsWith('/')) return { kind: 'unix', socketPath: h, url: `unix://${h}` };
  if (h.startsWith('unix://')) {
    const socketPath = h.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new InvalidHostError(host, 'a unix socket path must be absolute');
    return { kind: 'unix', socketPath, url: h };
  }
  let rest = h;
  if (h.startsWith('tcp://')) rest = h.slice('tcp://'.length);
  else if (h.includes('://')) throw new InvalidHostError(host, 'only unix:// and tcp:// are supported');
  rest = rest.replace(/\/+$/, '');
  const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?$/.exec(rest);
  if (!m) throw new InvalidHostError(host, 'expected tcp://host:port');
  const hostname = (m[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : 2375;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidHostError(host, 'bad port');
  return { kind: 'tcp', hostname, port, url: `tcp://${m[1] || '127.0.0.1'}:${port}` };
}
