import type { Readable, Writable } from 'node:stream';
import type { BuildPruneQuery, BuildPruneResponse, BuildQuery } from './types/build.js';
import type { AuthConfig, Filters, JSONMessage } from './types/common.js';
import type {
  ContainerCreate,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerPruneResponse,
  ContainerStats,
  ContainerSummary,
  ContainerTopResponse,
  ContainerUpdate,
  ContainerUpdateResponse,
  ContainerWaitResponse,
  FilesystemChange,
  PathStat,
  WaitCondition,
} from './types/container.js';
import type { ExecCreate, ExecCreateResponse, ExecInspect } from './types/exec.js';
import type {
  CommitConfig,
  IdResponse,
  ImageCreateQuery,
  ImageDeleteResponseItem,
  ImageHistoryItem,
  ImageInspect,
  ImageListQuery,
  ImagePruneResponse,
  ImageSearchResult,
  ImageSummary,
} from './types/image.js';
import type {
  Network,
  NetworkConnect,
  NetworkCreate,
  NetworkCreateResponse,
  NetworkDisconnect,
  NetworkPruneResponse,
} from './types/network.js';
import type { AuthResponse, EventMessage, SystemDf, SystemInfo, SystemVersion } from './types/system.js';
import type { Volume, VolumeCreate, VolumeListResponse, VolumePruneResponse } from './types/volume.js';

/**
 * What the HTTP layer needs from a daemon: one method per Docker Engine API endpoint, with inputs
 * already validated (zod) and normalized (booleans, integers, filters, null → absent), and outputs in
 * Docker's JSON shape. The server owns HTTP: routing, versions, framing (stdcopy, JSON lines,
 * timestamps), hijacking, status codes.
 *
 * Errors: throw `ApiError(status, message)` or any error with a numeric `statusCode`
 * (404 no such object, 409 conflict/in use, 400 bad argument, 304 "already started/stopped"
 * for start/stop). Anything else is a 500 with the error's message.
 *
 * Streams: methods that stream return a Promise of the stream, so a 404 can still be an HTTP error
 * before any header is written. Progress streams (pull, push, load, import, build) are AsyncIterables
 * of Docker JSONMessages: the server writes the 200 header lazily on the first message, so an error
 * thrown before the first message is an HTTP error; one thrown later becomes a final
 * `{"errorDetail":{"message":…},"error":…}` line, as dockerd does.
 *
 * Long-lived calls get an AbortSignal that fires when the client goes away; stop producing then.
 */
export interface Backend {
  // ---- system ----
  /** GET/HEAD /_ping. Optional: without it /_ping always answers OK. Throw to report unhealthy (500). */
  ping?(): Promise<void>;
  /** GET /version. */
  version(): Promise<SystemVersion>;
  /** GET /info. */
  info(): Promise<SystemInfo>;
  /** GET /system/df. `type` is the list of `type` query values (container, image, volume, build-cache). */
  df(opts: { type: string[] }): Promise<SystemDf>;
  /**
   * GET /events. Yields events from `since` (replayed) on; ends at `until` when given, otherwise runs
   * until `signal` aborts. since/until are Unix seconds (fractional allowed) as Docker sends them.
   */
  events(opts: {
    since?: number;
    until?: number;
    filters: Filters;
    signal: AbortSignal;
  }): Promise<AsyncIterable<EventMessage>>;
  /** POST /auth. Optional: without it the server answers 501. */
  auth?(config: AuthConfig): Promise<AuthResponse>;

  // ---- containers ----
  /** POST /containers/create. 404 when the image is missing (the CLI then pulls and retries). */
  containerCreate(opts: {
    name?: string;
    platform?: string;
    body: ContainerCreate;
  }): Promise<ContainerCreateResponse>;
  /** GET /containers/json. */
  containerList(opts: {
    all: boolean;
    limit?: number;
    size: boolean;
    filters: Filters;
  }): Promise<ContainerSummary[]>;
  /** GET /containers/{id}/json. `id` is an id, id prefix or name, as everywhere below. */
  containerInspect(id: string, opts: { size: boolean }): Promise<ContainerInspect>;
  /** POST /containers/{id}/start. Throw ApiError(304) if already running. */
  containerStart(id: string, opts: { detachKeys?: string }): Promise<void>;
  /** POST /containers/{id}/stop. `timeout` seconds (-1 = wait forever); throw ApiError(304) if not running. */
  containerStop(id: string, opts: { signal?: string; timeout?: number }): Promise<void>;
  /** POST /containers/{id}/restart. */
  containerRestart(id: string, opts: { signal?: string; timeout?: number }): Promise<void>;
  /** POST /containers/{id}/kill. 409 when not running. */
  containerKill(id: string, opts: { signal?: string }): Promise<void>;
  /** POST /containers/{id}/pause. */
  containerPause(id: string): Promise<void>;
  /** POST /containers/{id}/unpause. */
  containerUnpause(id: string): Promise<void>;
  /**
   * POST /containers/{id}/wait. Two phases, because the CLI sends `wait?condition=next-exit` BEFORE
   * start and expects the 200 header at once: the outer promise resolves (or throws 404) as soon as the
   * wait is registered; `result` resolves when the condition is met. The server writes the header
   * after the outer promise and the body after `result`. `signal` aborts when the client leaves.
   */
  containerWait(
    id: string,
    opts: { condition: WaitCondition; signal: AbortSignal },
  ): Promise<{ result: Promise<ContainerWaitResponse> }>;
  /** DELETE /containers/{id}. 409 when running without force. */
  containerRemove(id: string, opts: { force: boolean; removeVolumes: boolean; link: boolean }): Promise<void>;
  /** POST /containers/{id}/rename. */
  containerRename(id: string, opts: { name: string }): Promise<void>;
  /** POST /containers/{id}/update. */
  containerUpdate(id: string, body: ContainerUpdate): Promise<ContainerUpdateResponse>;
  /** POST /containers/{id}/resize (the container's tty). */
  containerResize(id: string, opts: { height: number; width: number }): Promise<void>;
  /** GET /containers/{id}/top. */
  containerTop(id: string, opts: { psArgs?: string }): Promise<ContainerTopResponse>;
  /** GET /containers/{id}/changes. */
  containerChanges(id: string): Promise<FilesystemChange[]>;
  /**
   * GET /containers/{id}/logs. The backend yields entries; the server adds timestamps
   * (RFC3339Nano + space, when asked) and stdcopy framing (when `tty` is false). `since`/`until` are
   * Unix seconds; `tail` undefined = all. With `follow`, keep yielding until the container stops or
   * `signal` aborts.
   */
  containerLogs(id: string, opts: LogsOptions): Promise<{ tty: boolean; entries: AsyncIterable<LogEntry> }>;
  /**
   * POST /containers/{id}/attach (hijacked). Returns the container's streams; the server copies the
   * client's bytes to `stdin` and `stdout`/`stderr` to the client (stdcopy-framed unless `tty`). With
   * `logs`, the backend puts the past output first in the streams. The server ends the connection
   * when every returned output stream has ended, and calls `close()` when the client goes away or
   * detaches (detach keys are handled by the server).
   */
  containerAttach(
    id: string,
    opts: {
      stream: boolean;
      logs: boolean;
      stdin: boolean;
      stdout: boolean;
      stderr: boolean;
      detachKeys?: string;
    },
  ): Promise<StreamSession>;
  /**
   * GET /containers/{id}/stats. `stream: false` wants one sample (the server writes only the first);
   * `oneShot` asks not to wait for a second sample for precpu_stats.
   */
  containerStats(
    id: string,
    opts: { stream: boolean; oneShot: boolean; signal: AbortSignal },
  ): Promise<AsyncIterable<ContainerStats>>;
  /** GET /containers/{id}/export: the root filesystem as a tar stream. */
  containerExport(id: string): Promise<Readable>;
  /** HEAD /containers/{id}/archive: stat of `path` (sent as X-Docker-Container-Path-Stat). */
  containerArchiveStat(id: string, opts: { path: string }): Promise<PathStat>;
  /** GET /containers/{id}/archive: a tar of `path` and its stat. */
  containerArchiveGet(id: string, opts: { path: string }): Promise<{ stat: PathStat; stream: Readable }>;
  /** PUT /containers/{id}/archive: extract the tar `body` into the directory `path`. */
  containerArchivePut(
    id: string,
    opts: { path: string; noOverwriteDirNonDir: boolean; copyUIDGID: boolean; body: Readable },
  ): Promise<void>;
  /** POST /containers/prune. */
  containerPrune(opts: { filters: Filters }): Promise<ContainerPruneResponse>;
  /** POST /commit. */
  containerCommit(opts: {
    container: string;
    repo?: string;
    tag?: string;
    comment?: string;
    author?: string;
    pause: boolean;
    changes: string[];
    config?: CommitConfig;
  }): Promise<IdResponse>;

  // ---- exec ----
  /** POST /containers/{id}/exec. 409 when the container is not running. */
  execCreate(containerId: string, body: ExecCreate): Promise<ExecCreateResponse>;
  /**
   * POST /exec/{id}/start. With `detach`, start and return undefined (the server answers 200 with no
   * body); otherwise return the process's streams, which the server hijacks like attach.
   */
  execStart(
    execId: string,
    opts: { detach: boolean; tty: boolean; consoleSize?: [number, number] },
  ): Promise<StreamSession | undefined>;
  /** GET /exec/{id}/json. */
  execInspect(execId: string): Promise<ExecInspect>;
  /** POST /exec/{id}/resize. */
  execResize(execId: string, opts: { height: number; width: number }): Promise<void>;

  // ---- images ----
  /** GET /images/json. */
  imageList(opts: ImageListQuery): Promise<ImageSummary[]>;
  /**
   * GET /images/{name}/json. `name` may contain slashes and a tag or digest. `manifests` (API 1.48+)
   * asks for the per-platform manifest list.
   */
  imageInspect(name: string, opts?: { manifests: boolean }): Promise<ImageInspect>;
  /** GET /images/{name}/history. */
  imageHistory(name: string, opts?: { platform?: string }): Promise<ImageHistoryItem[]>;
  /** POST /images/create?fromImage=… (pull). `auth` is the decoded X-Registry-Auth header. */
  imagePull(opts: {
    fromImage: string;
    tag?: string;
    platform?: string;
    auth?: AuthConfig;
    signal: AbortSignal;
  }): AsyncIterable<JSONMessage>;
  /** POST /images/create?fromSrc=… (import): `body` is the tar when fromSrc is "-". */
  imageImport(
    opts: ImageCreateQuery & { fromSrc: string; body: Readable; signal: AbortSignal },
  ): AsyncIterable<JSONMessage>;
  /** POST /images/{name}/push. */
  imagePush(
    name: string,
    opts: { tag?: string; platform?: string; auth?: AuthConfig; signal: AbortSignal },
  ): AsyncIterable<JSONMessage>;
  /** POST /images/{name}/tag. */
  imageTag(name: string, opts: { repo: string; tag?: string }): Promise<void>;
  /** DELETE /images/{name}. */
  imageRemove(
    name: string,
    opts: { force: boolean; noPrune: boolean; platforms?: string[] },
  ): Promise<ImageDeleteResponseItem[]>;
  /** POST /images/prune. */
  imagePrune(opts: { filters: Filters }): Promise<ImagePruneResponse>;
  /** GET /images/{name}/get and GET /images/get?names=…: a Docker archive (tar). */
  imageSave(opts: { names: string[]; platform?: string }): Promise<Readable>;
  /** POST /images/load: `body` is a Docker archive or OCI layout tar; yield {"stream":"Loaded image: …\n"}. */
  imageLoad(opts: {
    body: Readable;
    quiet: boolean;
    platform?: string;
    signal: AbortSignal;
  }): AsyncIterable<JSONMessage>;
  /** GET /distribution/{name}/json (registry manifest lookup). Optional: without it the server answers 501. */
  distributionInspect?(name: string, opts: { auth?: AuthConfig }): Promise<unknown>;
  /** GET /images/search. Optional: without it the server answers 501. */
  imageSearch?(opts: { term: string; limit?: number; filters: Filters }): Promise<ImageSearchResult[]>;

  // ---- build ----
  /**
   * POST /build: `context` is the request body (a tar, maybe gzip/bzip2/xz compressed), `auth` the
   * decoded X-Registry-Config header. Yield Docker's build stream ({"stream":"Step 1/3 : …\n"},
   * {"aux":{"ID":"sha256:…"}}).
   */
  build(opts: {
    query: BuildQuery;
    context: Readable;
    auth: Record<string, AuthConfig>;
    signal: AbortSignal;
  }): AsyncIterable<JSONMessage>;
  /** POST /build/prune. Optional: without it the server answers that nothing was deleted. */
  buildPrune?(opts: BuildPruneQuery & { filters: Filters }): Promise<BuildPruneResponse>;

  // ---- volumes ----
  /** POST /volumes/create. */
  volumeCreate(body: VolumeCreate): Promise<Volume>;
  /** GET /volumes. */
  volumeList(opts: { filters: Filters }): Promise<VolumeListResponse>;
  /** GET /volumes/{name}. */
  volumeInspect(name: string): Promise<Volume>;
  /** DELETE /volumes/{name}. 409 when in use. */
  volumeRemove(name: string, opts: { force: boolean }): Promise<void>;
  /** POST /volumes/prune. */
  volumePrune(opts: { filters: Filters }): Promise<VolumePruneResponse>;

  // ---- networks ----
  /** GET /networks. */
  networkList(opts: { filters: Filters }): Promise<Network[]>;
  /** GET /networks/{id}. */
  networkInspect(id: string, opts: { verbose: boolean; scope?: string }): Promise<Network>;
  /** POST /networks/create. 409 when the name exists. */
  networkCreate(body: NetworkCreate): Promise<NetworkCreateResponse>;
  /** DELETE /networks/{id}. */
  networkRemove(id: string): Promise<void>;
  /** POST /networks/{id}/connect. */
  networkConnect(id: string, body: NetworkConnect): Promise<void>;
  /** POST /networks/{id}/disconnect. */
  networkDisconnect(id: string, body: NetworkDisconnect): Promise<void>;
  /** POST /networks/prune. */
  networkPrune(opts: { filters: Filters }): Promise<NetworkPruneResponse>;
}

/** One chunk of container output for logs. */
/** What `GET /containers/{id}/logs` asks of the backend. */
export interface LogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  since?: number;
  until?: number;
  timestamps: boolean;
  tail?: number;
  signal: AbortSignal;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** The bytes as the container wrote them (a json-file line's "log" value, newline included). */
  data: Buffer;
  /** RFC3339Nano time of the entry (json-file's "time"); used when timestamps are asked for. */
  time?: string;
}

/**
 * The streams of an attached container or a started exec. With `tty`, `stdout` carries the terminal's
 * output raw and `stderr` is absent; without, the server multiplexes stdout and stderr with stdcopy
 * headers. `stdin` is present when stdin was asked for and is open.
 */
export interface StreamSession {
  tty: boolean;
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** Detach sequence for this session in Docker's syntax ("ctrl-p,ctrl-q"), e.g. an exec's DetachKeys. */
  detachKeys?: string;
  /**
   * Called once by the server when it is done with the session (output over, client gone, detach):
   * stop copying, unpipe and release the streams. From then on the server only drains (discards)
   * what still arrives on stdout/stderr, so nothing upstream blocks; it never ends or destroys them.
   */
  close(): void;
}
