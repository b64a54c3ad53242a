// The small interfaces the executor works over, so it runs (and is tested) without the daemon:
// where images come from and go to (ImageBackend) and how a RUN step runs (ContainerRunner).
import type { DockerContainerConfig, DockerImageConfig } from '@berth/oci-spec';
import type { Mount } from '@berth/overlay';

/** An image the build starts from or made. */
export interface BuildImage {
  /** `sha256:<config digest>` */
  id: string;
  config: DockerImageConfig;
}

export interface CommitRequest {
  /** image the step ran on; none for a stage from scratch */
  parent?: string;
  /** the active snapshot with the step's changes; none for a config-only step */
  snapshotKey?: string;
  /** the whole container config of the new image */
  config: DockerContainerConfig;
  history: { createdBy: string; comment?: string; emptyLayer: boolean };
  author?: string;
}

/** One line of pull progress as Docker's JSON stream shows it (`{"id":"abc","status":"Downloading",…}`). */
export interface PullProgress {
  status: string;
  id?: string;
  progressDetail?: { current: number; total: number };
}

/** Images: the FROM lookups, snapshots for steps, commits (the image store, or a fake in tests). */
export interface ImageBackend {
  /** A local image by name or id. */
  get(ref: string): Promise<BuildImage | undefined>;
  /** Fetches an image from its registry (FROM of an image that is not local, or with `pull`). */
  pull(
    ref: string,
    opts: { platform?: string; onProgress?: (progress: PullProgress) => void; signal?: AbortSignal },
  ): Promise<BuildImage>;
  /** An active snapshot `key` holding the image's files (image undefined: empty, FROM scratch). */
  prepare(key: string, image: string | undefined): Promise<Mount[]>;
  /** A read-only view `key` of an image's files (COPY --from). */
  view(key: string, image: string | undefined): Promise<Mount[]>;
  /** Drops a snapshot (active or view) that is not committed; a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** A new image: the parent plus the snapshot's changes (or only config and history). */
  commit(req: CommitRequest): Promise<BuildImage>;
  /** Points `ref` (`app:latest`) at the image. */
  tag(id: string, ref: string): Promise<void>;
  /** Removes uncommitted snapshots whose key starts with `prefix` (left by a crashed build); returns how many. */
  removeLeftovers?(prefix: string): Promise<number>;
}

export interface RunUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

export interface RunRequest {
  /** unique container id (contains `berth`) */
  id: string;
  /** the step's rootfs, already mounted (the active snapshot) */
  rootfs: string;
  args: string[];
  env: string[];
  cwd: string;
  user: RunUser;
  /** `none`: a network namespace with only loopback; `host`: the host's network */
  network: 'none' | 'host';
  hostname: string;
  /** host files bind-mounted read-only into the container (/etc/hosts, /etc/resolv.conf …) */
  files?: { source: string; destination: string }[];
  /** limits for the step's container (docker build --memory, --cpu-shares, …) */
  limits?: BuildLimits;
  /** stdout and stderr, interleaved as written */
  onOutput: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

/** Resource limits of RUN containers, as `docker build` takes them. */
export interface BuildLimits {
  /** bytes */
  memory?: number;
  /** memory+swap in bytes; -1 unlimited */
  memorySwap?: number;
  cpuShares?: number;
  /** microseconds per period */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** `0-3,7` */
  cpusetCpus?: string;
  /** size of /dev/shm in bytes */
  shmSize?: number;
}

export interface RunResult {
  exitCode: number;
  /** the signal that killed the process, if one did */
  signal?: number | null;
}

/** Runs one RUN step's process to completion in a container on `rootfs`. */
export interface ContainerRunner {
  run(req: RunRequest): Promise<RunResult>;
}
