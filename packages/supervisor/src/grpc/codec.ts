// Conversions between the services' TypeScript values and the protobuf messages, typed by the
// types proto-loader-gen-types generates from proto/supervisor.proto (src/grpc/generated, `pnpm
// gen:proto`; a test keeps them in step with the .proto). JSON-carrying fields are parsed here;
// their content is validated by the services.
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
  TaskStatus,
} from '../types.js';
import { TOPICS } from '../types.js';
import type * as pbContainer from './generated/berth/supervisor/v1/Container.js';
import type * as pbContent from './generated/berth/supervisor/v1/ContentInfo.js';
import type * as pbEvent from './generated/berth/supervisor/v1/Event.js';
import type * as pbExit from './generated/berth/supervisor/v1/ExitStatus.js';
import type * as pbImage from './generated/berth/supervisor/v1/Image.js';
import type * as pbLease from './generated/berth/supervisor/v1/Lease.js';
import type * as pbMount from './generated/berth/supervisor/v1/Mount.js';
import type * as pbSnapshot from './generated/berth/supervisor/v1/SnapshotInfo.js';
import type * as pbTask from './generated/berth/supervisor/v1/TaskInfo.js';

// biome-ignore lint/suspicious/noExplicitAny: request/response plumbing of untyped grpc-js services; the messages themselves are typed below
export type Msg = Record<string, any>;

const TASK_STATUSES: readonly TaskStatus[] = ['created', 'running', 'paused', 'stopped', 'unknown'];
const MOUNT_TYPES: readonly Mount['type'][] = ['overlay', 'bind'];
const SNAPSHOT_KINDS: readonly SnapshotInfo['kind'][] = ['view', 'active', 'committed'];

function oneOf<T extends string>(where: string, allowed: readonly T[], v: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw invalid(where, `unknown value ${JSON.stringify(v)}`);
  return v as T;
}

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

export const containerToMsg = (c: Container): pbContainer.Container => ({
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

export const containerFromMsg = (m: pbContainer.Container__Output): Container => ({
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

export const exitToMsg = (e: ExitStatus): pbExit.ExitStatus => ({
  exitCode: e.exitCode,
  signal: e.signal ?? 0,
  exitedAt: e.exitedAt,
});
export const exitFromMsg = (m: pbExit.ExitStatus__Output): ExitStatus => ({
  exitCode: m.exitCode,
  signal: m.signal ? m.signal : null,
  exitedAt: m.exitedAt,
});

export function taskToMsg(t: TaskInfo): pbTask.TaskInfo {
  const m: pbTask.TaskInfo = {
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

export function taskFromMsg(m: pbTask.TaskInfo__Output): TaskInfo {
  const t: TaskInfo = {
    id: m.id,
    namespace: m.namespace,
    pid: m.pid,
    status: oneOf('task.status', TASK_STATUSES, m.status),
    terminal: m.terminal,
    stdin: m.stdin,
  };
  if (m.execId) t.execId = m.execId;
  if (m.exitStatus) t.exitStatus = exitFromMsg(m.exitStatus);
  return t;
}

export const mountToMsg = (m: Mount): pbMount.Mount => ({
  type: m.type,
  source: m.source,
  options: m.options,
});
export const mountFromMsg = (m: pbMount.Mount__Output): Mount => ({
  type: oneOf('mount.type', MOUNT_TYPES, m.type),
  source: m.source,
  options: m.options ?? [],
});

export const imageToMsg = (i: Image): pbImage.Image => ({
  name: i.name,
  namespace: i.namespace,
  targetJson: JSON.stringify(i.target),
  labels: i.labels,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
});
export const imageFromMsg = (m: pbImage.Image__Output): Image => ({
  name: m.name,
  namespace: m.namespace,
  target: parseJson('target', m.targetJson) as Image['target'],
  labels: m.labels ?? {},
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const contentFromMsg = (m: pbContent.ContentInfo__Output): ContentInfo => ({
  digest: m.digest,
  size: m.size,
  labels: m.labels ?? {},
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const snapshotToMsg = (s: SnapshotInfo): pbSnapshot.SnapshotInfo => ({ ...s, parent: s.parent ?? '' });
export function snapshotFromMsg(m: pbSnapshot.SnapshotInfo__Output): SnapshotInfo {
  const s: SnapshotInfo = {
    key: m.key,
    kind: oneOf('snapshot.kind', SNAPSHOT_KINDS, m.kind),
    labels: m.labels ?? {},
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
  if (m.parent) s.parent = m.parent;
  return s;
}

export const leaseToMsg = (l: Lease): pbLease.Lease => ({ ...l, expiresAt: l.expiresAt ?? '' });
export function leaseFromMsg(m: pbLease.Lease__Output): Lease {
  const l: Lease = { id: m.id, namespace: m.namespace, labels: m.labels ?? {}, createdAt: m.createdAt };
  if (m.expiresAt) l.expiresAt = m.expiresAt;
  return l;
}

export const eventToMsg = (e: Event): pbEvent.Event => ({
  topic: e.topic,
  namespace: e.namespace,
  timestamp: e.timestamp,
  eventJson: JSON.stringify(e.event),
});
export const eventFromMsg = (m: pbEvent.Event__Output): Event => ({
  topic: oneOf('event.topic', TOPICS, m.topic),
  namespace: m.namespace,
  timestamp: m.timestamp,
  event: JSON.parse(m.eventJson || '{}'),
});
