// The public shape of the supervisor's services (containerd's API, as plain async TypeScript). The
// in-process Supervisor and the gRPC SupervisorClient both implement these interfaces, so a caller
// (the daemon) does not care which one it holds. Every call names its namespace first ('default').
import type { Readable, Writable } from 'node:stream';
import type { CgroupStats, LinuxResources } from '@berth/cgroups';
import type { Descriptor, Process, RuntimeSpec } from '@berth/oci-spec';
import type { Mount } from '@berth/overlay';

export type { CgroupStats, Descriptor, LinuxResources, Mount, Process, RuntimeSpec };

export type Labels = Record<string, string>;

/** The default namespace, as containerd's. */
export const DEFAULT_NAMESPACE = 'default';

// ---------------------------------------------------------------------------------------------
// containers: metadata only (no process); a task is the running part.

/** Which runtime runs a container's tasks: berth's own engine through a shim, or an OCI runtime CLI. */
export interface RuntimeInfo {
  /** 'berth' (the default), or the absolute path of an OCI runtime CLI such as /usr/sbin/runc */
  name: string;
}

export interface Container {
  id: string;
  namespace: string;
  /** image name the container was made from ('' when none) */
  image: string;
  /** name of the snapshotter that holds `snapshotKey` */
  snapshotter: string;
  /** the active snapshot that is the container's rootfs ('' when the spec's root.path is used as is) */
  snapshotKey: string;
  spec: RuntimeSpec;
  labels: Labels;
  runtime: RuntimeInfo;
  /** RFC 3339 */
  createdAt: string;
  updatedAt: string;
}

export interface ContainerCreate {
  id: string;
  image?: string;
  snapshotter?: string;
  snapshotKey?: string;
  spec: RuntimeSpec;
  labels?: Labels;
  runtime?: RuntimeInfo;
}

/** Fields to change; unset ones keep their value. `labels` replaces all labels. */
export interface ContainerUpdate {
  image?: string;
  snapshotKey?: string;
  spec?: RuntimeSpec;
  labels?: Labels;
}

/**
 * containerd-style filters: each string is `field==value`, `field!=value`, `field~=regexp` or just
 * `field` (present), joined by ',' for AND; the strings of the array are ORed. Fields: `id`, `image`,
 * `runtime.name`, `snapshotter`, `labels.<key>` (a key with dots may be quoted: `labels."a.b"==x`).
 */
export type Filters = string[];

export interface ContainersService {
  /** ALREADY_EXISTS when the id is taken in the namespace; INVALID_ARGUMENT for a bad id or spec. */
  create(ns: string, container: ContainerCreate): Promise<Container>;
  /** NOT_FOUND */
  get(ns: string, id: string): Promise<Container>;
  list(ns: string, filters?: Filters): Promise<Container[]>;
  update(ns: string, id: string, changes: ContainerUpdate): Promise<Container>;
  /** FAILED_PRECONDITION while the container has a task; NOT_FOUND. */
  delete(ns: string, id: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// tasks: the container's processes, each held by one shim.

export type TaskStatus = 'created' | 'running' | 'paused' | 'stopped' | 'unknown';

export interface LogConfig {
  /** the log file the shim writes (its directory must exist) */
  path: string;
  /** 'json-file': Docker's {"log","stream","time"} lines; 'raw': the bytes as they come */
  format: 'json-file' | 'raw';
  /** rotate when the file reaches this many bytes (0 / unset: never) */
  maxSize?: number;
  /** keep this many files in all, including the current one (default 1) */
  maxFiles?: number;
}

export interface TaskCreateOptions {
  /** mounts that make the rootfs; default: the container's snapshot (snapshotKey), else spec.root.path */
  rootfs?: Mount[];
  /** a pty instead of pipes (process.terminal in the spec is set to match) */
  terminal?: boolean;
  /** keep a stdin for attach (closed with closeStdin or the attach's stdin end) */
  stdin?: boolean;
  /** where the shim writes the output; unset: output only reaches attached clients */
  log?: LogConfig;
}

export interface ExitStatus {
  exitCode: number;
  /** the signal that killed the process, else null (exitCode is then 128 + signal) */
  signal: number | null;
  /** RFC 3339 */
  exitedAt: string;
}

export interface TaskInfo {
  id: string;
  namespace: string;
  /** set for an exec'd process, else undefined */
  execId?: string;
  pid: number;
  status: TaskStatus;
  terminal: boolean;
  stdin: boolean;
  /** when status is 'stopped' */
  exitStatus?: ExitStatus;
}

/** Selects the task's init (no execId) or one of its exec'd processes. */
export interface ProcessRef {
  execId?: string;
}

export interface ExecOptions {
  /** the process (config.json `process` shape); unset fields come from the container's spec */
  process: Partial<Process> & { args: string[] };
  terminal?: boolean;
  stdin?: boolean;
}

export interface AttachOptions extends ProcessRef {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** A client's view of a process's stdio. With a terminal, stdout carries the pty and stderr is absent. */
export interface TaskAttach {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** detaches (the process keeps running) */
  close(): void;
}

export interface KillOptions extends ProcessRef {
  /** signal every process of the container (init only) */
  all?: boolean;
}

export interface TasksService {
  /**
   * Makes the task ("created": namespaces, cgroup and mounts ready, argv not yet executed), held by a
   * new shim. NOT_FOUND without the container; ALREADY_EXISTS when it has a task.
   */
  create(ns: string, id: string, opts?: TaskCreateOptions): Promise<TaskInfo>;
  /** Starts the init (or a created exec). FAILED_PRECONDITION unless created. */
  start(ns: string, id: string, ref?: ProcessRef): Promise<TaskInfo>;
  state(ns: string, id: string, ref?: ProcessRef): Promise<TaskInfo>;
  list(ns: string): Promise<TaskInfo[]>;
  kill(ns: string, id: string, signal: number, opts?: KillOptions): Promise<void>;
  /** Resolves when the process exits (at once when it has). */
  wait(ns: string, id: string, ref?: ProcessRef): Promise<ExitStatus>;
  /**
   * Removes a stopped task: the shim exits, the rootfs is unmounted, the cgroup removed; returns the
   * exit status. FAILED_PRECONDITION while running unless `force` (then it is killed first).
   */
  delete(ns: string, id: string, opts?: { force?: boolean }): Promise<ExitStatus>;
  /** Creates an exec'd process (not started: attach, then start with { execId }). ALREADY_EXISTS for a taken execId. */
  exec(ns: string, id: string, execId: string, opts: ExecOptions): Promise<TaskInfo>;
  /** Forgets a stopped exec'd process and returns its exit status. */
  deleteProcess(ns: string, id: string, execId: string): Promise<ExitStatus>;
  pause(ns: string, id: string): Promise<void>;
  resume(ns: string, id: string): Promise<void>;
  pids(ns: string, id: string): Promise<number[]>;
  stats(ns: string, id: string): Promise<CgroupStats>;
  update(ns: string, id: string, resources: LinuxResources): Promise<void>;
  attach(ns: string, id: string, opts?: AttachOptions): Promise<TaskAttach>;
  resize(ns: string, id: string, size: { cols: number; rows: number }, ref?: ProcessRef): Promise<void>;
  /** Closes the process's stdin (EOF for the process). */
  closeStdin(ns: string, id: string, ref?: ProcessRef): Promise<void>;
  /** Always rejects with UNIMPLEMENTED (no CRIU here). */
  checkpoint(ns: string, id: string): Promise<never>;
}

// ---------------------------------------------------------------------------------------------
// images: names → target descriptors (the image store proper lives in @berth/image).

export interface Image {
  name: string;
  namespace: string;
  target: Descriptor;
  labels: Labels;
  createdAt: string;
  updatedAt: string;
}

export interface ImageCreate {
  name: string;
  target: Descriptor;
  labels?: Labels;
}

export interface ImagesService {
  /** ALREADY_EXISTS for a taken name */
  create(ns: string, image: ImageCreate): Promise<Image>;
  get(ns: string, name: string): Promise<Image>;
  /** filters over `name`, `target.digest`, `target.mediaType`, `labels.<key>` */
  list(ns: string, filters?: Filters): Promise<Image[]>;
  update(ns: string, name: string, changes: { target?: Descriptor; labels?: Labels }): Promise<Image>;
  delete(ns: string, name: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// content and snapshots: thin wrappers of the ContentStore and Snapshotter the supervisor was opened
// with (shared by every namespace: the image store uses the same stores directly).

export interface ContentInfo {
  digest: string;
  size: number;
  labels: Labels;
  createdAt: string;
  updatedAt: string;
}

export interface ContentService {
  info(digest: string): Promise<ContentInfo>;
  list(filters?: Filters): Promise<ContentInfo[]>;
  /** Label changes: a string sets a label, null removes it. */
  update(digest: string, labels: Record<string, string | null>): Promise<ContentInfo>;
  delete(digest: string): Promise<void>;
  read(digest: string): Promise<Buffer>;
  /** Writes a whole blob, verified against `expected` when given; returns its digest. */
  write(data: Buffer, opts?: { ref?: string; expected?: string; labels?: Labels }): Promise<string>;
}

export interface SnapshotInfo {
  key: string;
  kind: 'view' | 'active' | 'committed';
  parent?: string;
  labels: Labels;
  createdAt: string;
  updatedAt: string;
}

export interface SnapshotsService {
  prepare(key: string, parent?: string, labels?: Labels): Promise<Mount[]>;
  view(key: string, parent?: string, labels?: Labels): Promise<Mount[]>;
  mounts(key: string): Promise<Mount[]>;
  commit(name: string, key: string, labels?: Labels): Promise<void>;
  remove(key: string): Promise<void>;
  stat(key: string): Promise<SnapshotInfo>;
  list(filters?: Filters): Promise<SnapshotInfo[]>;
  usage(key: string): Promise<{ size: number; inodes: number }>;
}

// ---------------------------------------------------------------------------------------------
// leases: keep content and snapshots from GC while something works with them.

export interface Lease {
  id: string;
  namespace: string;
  labels: Labels;
  createdAt: string;
  /** RFC 3339; unset: until deleted */
  expiresAt?: string;
}

export interface LeaseResource {
  /** 'content' or 'snapshots' */
  type: 'content' | 'snapshots';
  /** a digest or a snapshot key */
  id: string;
}

export interface LeasesService {
  /** id: a random one when unset; expiresIn: milliseconds */
  create(ns: string, opts?: { id?: string; labels?: Labels; expiresIn?: number }): Promise<Lease>;
  delete(ns: string, id: string): Promise<void>;
  list(ns: string, filters?: Filters): Promise<Lease[]>;
  addResource(ns: string, id: string, resource: LeaseResource): Promise<void>;
  deleteResource(ns: string, id: string, resource: LeaseResource): Promise<void>;
  listResources(ns: string, id: string): Promise<LeaseResource[]>;
}

/** Extra roots for gc(): what other stores (the image store) keep. */
export interface GcOptions {
  /** digests of blobs to keep (with what their gc.ref labels name) */
  contentRoots?: Iterable<string>;
  /** snapshot keys to keep (with their parents) */
  snapshotRoots?: Iterable<string>;
}

export interface GcResult {
  /** blob digests removed from the content store */
  content: string[];
  /** snapshot keys removed */
  snapshots: string[];
  /** leases that had expired and were deleted */
  leases: string[];
}

// ---------------------------------------------------------------------------------------------
// events: containerd's topics.

export const TOPICS = [
  '/containers/create',
  '/containers/update',
  '/containers/delete',
  '/tasks/create',
  '/tasks/start',
  '/tasks/exit',
  '/tasks/delete',
  '/tasks/oom',
  '/tasks/exec-added',
  '/tasks/exec-started',
  '/tasks/paused',
  '/tasks/resumed',
  '/images/create',
  '/images/update',
  '/images/delete',
  '/snapshot/prepare',
  '/snapshot/commit',
  '/snapshot/remove',
  '/content/delete',
  '/leases/create',
  '/leases/delete',
] as const;
export type Topic = (typeof TOPICS)[number];

export interface Event {
  topic: Topic;
  namespace: string;
  /** RFC 3339 with nanoseconds */
  timestamp: string;
  /**
   * The payload, camelCase: containers {id, image?}; tasks {containerId, pid?, execId?, exitStatus?,
   * exitedAt?}; images {name}; snapshots {key, parent?}; content {digest}; leases {id}.
   */
  event: Record<string, unknown>;
}

export interface SubscribeOptions {
  /** fields: `topic`, `namespace`, `event.<field>` (e.g. `topic=="/tasks/exit"`, `event.containerId==x`) */
  filters?: Filters;
  /** ends the iteration */
  signal?: AbortSignal;
}

/** Events as they come; `ready` resolves once events published from then on will be delivered. */
export interface EventSubscription extends AsyncIterable<Event> {
  ready: Promise<void>;
}

export interface EventsService {
  subscribe(opts?: SubscribeOptions): EventSubscription;
  /** Publishes an event of the caller (the daemon's own topics). */
  publish(ns: string, topic: Topic, event: Record<string, unknown>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// the whole supervisor, as the daemon sees it (in-process or the gRPC client).

export interface SupervisorApi {
  readonly containers: ContainersService;
  readonly tasks: TasksService;
  readonly images: ImagesService;
  readonly content: ContentService;
  readonly snapshots: SnapshotsService;
  readonly leases: LeasesService;
  readonly events: EventsService;
  gc(opts?: GcOptions): Promise<GcResult>;
  close(): Promise<void>;
}
