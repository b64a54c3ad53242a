// What the daemon needs from the layers below it, as structural interfaces: the real Supervisor
// (@berth/supervisor), ImageStore (@berth/image), snapshotter (@berth/overlay) and NetworkManager
// (@berth/network) satisfy them, and tests may hand in small fakes. Only the members the daemon
// calls are listed, so a change elsewhere in those packages does not ripple here.
import type { Readable, Writable } from 'node:stream';
import type { CgroupStats, LinuxResources } from '@berth/cgroups';
import type { PlatformSpec, Process, RuntimeSpec } from '@berth/oci-spec';

export interface Mount {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

// ---- supervisor (containerd's role) ----

export interface ExitStatus {
  exitCode: number;
  signal: number | null;
  exitedAt: string;
}

export interface TaskInfo {
  id: string;
  execId?: string;
  pid: number;
  status: 'created' | 'running' | 'paused' | 'stopped' | 'unknown';
  exitStatus?: ExitStatus;
}

export interface TaskAttach {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  close(): void;
}

export interface ProcessRef {
  execId?: string;
}

export interface LogConfig {
  path: string;
  format: 'json-file' | 'raw';
  maxSize?: number;
  maxFiles?: number;
}

export interface SupervisorLike {
  containers: {
    create(
      ns: string,
      c: {
        id: string;
        image?: string;
        snapshotter?: string;
        snapshotKey?: string;
        spec: RuntimeSpec;
        labels?: Record<string, string>;
      },
    ): Promise<unknown>;
    get(ns: string, id: string): Promise<unknown>;
    update(
      ns: string,
      id: string,
      changes: { spec?: RuntimeSpec; labels?: Record<string, string> },
    ): Promise<unknown>;
    delete(ns: string, id: string): Promise<void>;
    /** the start-up sweep finds records of containers the daemon has no record of with it */
    list?(ns: string): Promise<{ id: string }[]>;
  };
  tasks: {
    create(
      ns: string,
      id: string,
      opts?: { rootfs?: Mount[]; terminal?: boolean; stdin?: boolean; log?: LogConfig },
    ): Promise<TaskInfo>;
    start(ns: string, id: string, ref?: ProcessRef): Promise<TaskInfo>;
    state(ns: string, id: string, ref?: ProcessRef): Promise<TaskInfo>;
    list(ns: string): Promise<TaskInfo[]>;
    kill(ns: string, id: string, signal: number, opts?: ProcessRef & { all?: boolean }): Promise<void>;
    wait(ns: string, id: string, ref?: ProcessRef): Promise<ExitStatus>;
    delete(ns: string, id: string, opts?: { force?: boolean }): Promise<ExitStatus>;
    exec(
      ns: string,
      id: string,
      execId: string,
      opts: { process: Partial<Process> & { args: string[] }; terminal?: boolean; stdin?: boolean },
    ): Promise<TaskInfo>;
    deleteProcess(ns: string, id: string, execId: string): Promise<ExitStatus>;
    pause(ns: string, id: string): Promise<void>;
    resume(ns: string, id: string): Promise<void>;
    pids(ns: string, id: string): Promise<number[]>;
    stats(ns: string, id: string): Promise<CgroupStats>;
    update(ns: string, id: string, resources: LinuxResources): Promise<void>;
    attach(
      ns: string,
      id: string,
      opts?: ProcessRef & { stdin?: boolean; stdout?: boolean; stderr?: boolean },
    ): Promise<TaskAttach>;
    resize(ns: string, id: string, size: { cols: number; rows: number }, ref?: ProcessRef): Promise<void>;
    closeStdin(ns: string, id: string, ref?: ProcessRef): Promise<void>;
  };
  /** containerd's event stream; the daemon watches /tasks/oom on it (optional) */
  events?: {
    subscribe(opts?: { filters?: string[]; signal?: AbortSignal }): AsyncIterable<{
      topic: string;
      namespace: string;
      event: Record<string, unknown>;
    }>;
  };
  close(): Promise<void>;
}

// ---- images ----

/** The image config's `config` section plus the top-level fields the daemon reads. */
export interface ImageRecordLike {
  /** sha256:<config digest> */
  id: string;
  repoTags: string[];
  repoDigests?: string[];
  config: {
    config?: {
      User?: string;
      Env?: string[];
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
      WorkingDir?: string;
      Labels?: Record<string, string> | null;
      Volumes?: Record<string, unknown> | null;
      ExposedPorts?: Record<string, unknown> | null;
      StopSignal?: string;
    };
    architecture?: string;
    os?: string;
  };
  size?: number;
  created?: string;
}

export interface PullProgress {
  /** Docker's JSONMessage fields */
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
}

export interface ImageServiceLike {
  get(nameOrId: string): Promise<ImageRecordLike | undefined> | ImageRecordLike | undefined;
  list(opts?: { filters?: Record<string, string[]> }): Promise<ImageRecordLike[]> | ImageRecordLike[];
  pull(
    ref: string,
    opts?: { platform?: PlatformSpec; onProgress?: (e: never) => void; signal?: AbortSignal },
  ): Promise<ImageRecordLike>;
  prepareRootfs(nameOrId: string, key: string, opts?: { readonly?: boolean }): Promise<Mount[]> | Mount[];
  importRootfs(
    tar: Readable,
    opts?: { ref?: string; changes?: string[]; message?: string },
  ): Promise<ImageRecordLike>;
  inspect?(nameOrId: string): Promise<unknown> | unknown;
  history?(nameOrId: string): Promise<unknown[]> | unknown[];
  tag?(source: string, target: string): Promise<void> | void;
  remove?(
    nameOrId: string,
    opts?: { force?: boolean; noPrune?: boolean; inUse?: (id: string) => boolean },
  ): Promise<unknown[]> | unknown[];
  push?(ref: string, opts?: { onProgress?: (e: never) => void; signal?: AbortSignal }): Promise<unknown>;
  save?(names: string[], out: Writable): Promise<void>;
  commit?(opts: {
    parent?: string;
    snapshotKey?: string;
    config?: Record<string, unknown>;
    changes?: readonly string[];
    history: { createdBy: string; comment?: string; author?: string };
    tags?: readonly string[];
    author?: string;
  }): Promise<ImageRecordLike>;
  load?(tar: Readable): Promise<{ images: { id: string; names: string[] }[] }>;
}

export interface SnapshotInfoLike {
  kind: string;
  name: string;
  parent?: string;
  labels: Record<string, string>;
}

export interface SnapshotterLike {
  mounts(key: string): Mount[];
  remove(key: string): void;
  /** every snapshot (the start-up sweep finds container snapshots a crash left with it) */
  walk?(fn: (info: SnapshotInfoLike) => void): void;
  usage?(key: string): { size: number; inodes: number };
}

// ---- logging ----

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

// ---- networks (optional: without one, containers get a network namespace with only lo) ----

export interface NetworkAttachResult {
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  ports?: { hostIp?: string; hostPort: number; containerPort: number; protocol: string }[];
}

export interface NetworkLike {
  createNetns(containerId: string): Promise<string> | string;
  removeNetns(containerId: string): Promise<void> | void;
  attach(opts: {
    containerId: string;
    netnsPath: string;
    network: string;
    aliases?: string[];
    ports?: { hostIp?: string; hostPort?: number; containerPort: number; protocol: string }[];
    hostname: string;
    /** the container's name: peers on user-defined networks resolve it */
    name?: string;
  }): Promise<NetworkAttachResult>;
  /**
   * Writes hosts, hostname and resolv.conf into `dir` and keeps the hosts file current as peers
   * join and leave the container's user-defined networks (name resolution between containers).
   * Without it the daemon writes static files of its own.
   */
  containerFiles?(opts: {
    containerId: string;
    dir: string;
    hostname: string;
    domainname?: string;
    extraHosts?: string[];
    dns?: string[];
    dnsSearch?: string[];
    dnsOptions?: string[];
  }): Promise<{ hostsPath: string; hostnamePath: string; resolvConfPath: string }>;
  detach(containerId: string, network: string): Promise<void>;
  list(opts?: { filters?: Record<string, string[]> }): Promise<unknown[]> | unknown[];
  inspect(idOrName: string): Promise<unknown> | unknown;
  create(body: unknown): Promise<unknown>;
  remove(idOrName: string): Promise<void>;
  prune?(opts?: unknown): Promise<unknown>;
}
