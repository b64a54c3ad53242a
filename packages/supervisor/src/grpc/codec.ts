// Conversions between the services' TypeScript values and the protobuf messages (as @grpc/proto-loader
// decodes them: camelCase fields, defaults filled in). JSON-carrying fields are parsed here; their
// content is validated by the services.
import { invalid } from '../errors.js';
import type {
  Container,
  ContentInfo,
  Event,
  ExitStatus,
  Image,
  Lease,
  Mount,
  SnapshotInfo,
  TaskInfo,
} from '../types.js';

// biome-ignore lint/suspicious/noExplicitAny: protobuf messages as proto-loader hands them over
export type Msg = Record<string, any>;

export function parseJson(where: string, text: unknown): unknown {
  if (typeof text !== 'string' || text === '') throw invalid(where, 'missing');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(where, `not JSON: ${(e as Error).message}`);
  }
}

export const optionalJson = (where: string, text: unknown): unknown =>
  typeof text === 'string' && text !== '' ? parseJson(where, text) : undefined;

export const containerToMsg = (c: Container): Msg => ({
  id: c.id,
  namespace: c.namespace,
  image: c.image,
  snapshotter: c.snapshotter,
  snapshotKey: c.snapshotKey,
  specJson: JSON.stringify(c.spec),
  labels: c.labels,
  runtimeName: c.runtime.name,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export const containerFromMsg = (m: Msg): Container => ({
  id: m.id,
  namespace: m.namespace,
  image: m.image,
  snapshotter: m.snapshotter,
  snapshotKey: m.snapshotKey,
  spec: parseJson('spec', m.specJson) as Container['spec'],
  labels: m.labels ?? {},
  runtime: { name: m.runtimeName || 'berth' },
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const exitToMsg = (e: ExitStatus): Msg => ({
  exitCode: e.exitCode,
  signal: e.signal ?? 0,
  exitedAt: e.exitedAt,
});
export const exitFromMsg = (m: Msg): ExitStatus => ({
  exitCode: m.exitCode,
  signal: m.signal ? m.signal : null,
  exitedAt: m.exitedAt,
});

export function taskToMsg(t: TaskInfo): Msg {
  const m: Msg = {
    id: t.id,
    namespace: t.namespace,
    execId: t.execId ?? '',
    pid: t.pid,
    status: t.status,
    terminal: t.terminal,
    stdin: t.stdin,
  };
  if (t.exitStatus) m.exitStatus = exitToMsg(t.exitStatus);
  return m;
}

export function taskFromMsg(m: Msg): TaskInfo {
  const t: TaskInfo = {
    id: m.id,
    namespace: m.namespace,
    pid: m.pid,
    status: m.status,
    terminal: m.terminal,
    stdin: m.stdin,
  };
  if (m.execId) t.execId = m.execId;
  if (m.exitStatus) t.exitStatus = exitFromMsg(m.exitStatus);
  return t;
}

export const mountToMsg = (m: Mount): Msg => ({ type: m.type, source: m.source, options: m.options });
export const mountFromMsg = (m: Msg): Mount => ({ type: m.type, source: m.source, options: m.options ?? [] });

export const imageToMsg = (i: Image): Msg => ({
  name: i.name,
  namespace: i.namespace,
  targetJson: JSON.stringify(i.target),
  labels: i.labels,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
});
export const imageFromMsg = (m: Msg): Image => ({
  name: m.name,
  namespace: m.namespace,
  target: parseJson('target', m.targetJson) as Image['target'],
  labels: m.labels ?? {},
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const contentFromMsg = (m: Msg): ContentInfo => ({
  digest: m.digest,
  size: m.size,
  labels: m.labels ?? {},
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const snapshotToMsg = (s: SnapshotInfo): Msg => ({ ...s, parent: s.parent ?? '' });
export function snapshotFromMsg(m: Msg): SnapshotInfo {
  const s: SnapshotInfo = {
    key: m.key,
    kind: m.kind,
    labels: m.labels ?? {},
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
  if (m.parent) s.parent = m.parent;
  return s;
}

export const leaseToMsg = (l: Lease): Msg => ({ ...l, expiresAt: l.expiresAt ?? '' });
export function leaseFromMsg(m: Msg): Lease {
  const l: Lease = { id: m.id, namespace: m.namespace, labels: m.labels ?? {}, createdAt: m.createdAt };
  if (m.expiresAt) l.expiresAt = m.expiresAt;
  return l;
}

export const eventToMsg = (e: Event): Msg => ({
  topic: e.topic,
  namespace: e.namespace,
  timestamp: e.timestamp,
  eventJson: JSON.stringify(e.event),
});
export const eventFromMsg = (m: Msg): Event => ({
  topic: m.topic,
  namespace: m.namespace,
  timestamp: m.timestamp,
  event: JSON.parse(m.eventJson || '{}'),
});
