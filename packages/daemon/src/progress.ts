// Progress events of the image store and registry as Docker's JSON messages.
import type { JSONMessage } from '@berth/api';

export function progressMessage(e: unknown): JSONMessage {
  if (!e || typeof e !== 'object') return { status: String(e) };
  const o = e as Record<string, unknown>;
  if (typeof o.status === 'string') return o as JSONMessage;
  // @berth/registry style events: { kind/type, digest, current, total }
  const id =
    typeof o.digest === 'string'
      ? o.digest.replace(/^sha256:/, '').slice(0, 12)
      : typeof o.id === 'string'
        ? o.id
        : undefined;
  const current =
    typeof o.current === 'number' ? o.current : typeof o.bytes === 'number' ? o.bytes : undefined;
  const total = typeof o.total === 'number' ? o.total : typeof o.size === 'number' ? o.size : undefined;
  const kind = String(o.kind ?? o.type ?? o.phase ?? 'Downloading');
  const status = /done|complete/i.test(kind)
    ? 'Pull complete'
    : /extract|unpack/i.test(kind)
      ? 'Extracting'
      : /exist/i.test(kind)
        ? 'Already exists'
        : 'Downloading';
  return {
    status,
    ...(id ? { id } : {}),
    ...(current !== undefined
      ? { progressDetail: { current, ...(total !== undefined ? { total } : {}) } }
      : {}),
  };
}
