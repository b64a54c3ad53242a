// The daemon (dockerd's role): Docker's container model on top of the supervisor (tasks), the
// image store and the snapshotter; one method per Engine API endpoint (the Backend of @berth/api).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import {
  ApiError,
  type Backend,
  type ContainerCreate,
  type ContainerCreateResponse,
  type ContainerInspect,
  type ContainerPruneResponse,
  type ContainerStats,
  type ContainerSummary,
  type ContainerTopResponse,
  type ContainerUpdate,
  type ContainerUpdateResponse,
  type ContainerWaitResponse,
  type EventMessage,
  type ExecCreate,
  type ExecCreateResponse,
  type ExecInspect,
  type FilesystemChange,
  type Filters,
  type IdResponse,
  type ImageCreateQuery,
  type ImageDeleteResponseItem,
  type ImageHistoryItem,
  type ImageInspect,
  type ImageListQuery,
  type ImagePruneResponse,
  type ImageSummary,
  type JSONMessage,
  type LogEntry,
  type LogsOptions,
  type Network,
  type NetworkCreateResponse,
  type NetworkPruneResponse,
  type PathStat,
  type StreamSession,
  type SystemDf,
  type SystemInfo,
  type SystemVersion,
  type Volume,
  type VolumeCreate,
  type VolumeListResponse,
  type VolumePruneResponse,
  type WaitCondition,
} from '@berth/api';
import { toDockerStats } from '@berth/cgroups';
import { parsePlatform } from '@berth/oci-spec';
import { writeFileAtomic } from './atomic.js';
import { containerCapabilities } from './capabilities.js';
import { writeContainerFiles } from './container-files.js';
import { endpointOf, filterContainer, labelsMatch, mountOut, portsOf, untilMs } from './container-filters.js';
import { ContainerStore } from './container-store.js';
import { createdState, ZERO_TIME } from './created-state.js';
import {
  type ImageRecordLike,
  type ImageServiceLike,
  type Logger,
  type NetworkLike,
  type SnapshotterLike,
  type SupervisorLike,
  silentLogger,
} from './deps.js';
import { conflict, DaemonError, invalid, notFound, statusOf } from './errors.js';
import { EventBus } from './events.js';
import { commandText, statusText } from './format.js';
import { type Probe, type ProbeResult, probeOf, recordProbe } from './health.js';
import { bootTimeSec, osName, readFileOr, safeCount, systemCpuNs } from './host-info.js';
import { newId, normalizeName, randomName, shortId } from './ids.js';
import { commandOf, mergeImageConfig } from './image-config.js';
import { parseLogTime, readJsonLog } from './json-log.js';
import { LiveContainer, type PendingAttach } from './live.js';
import { resolveMountPoints } from './mount-points.js';
import { sweepOrphans } from './orphans.js';
import { progressMessage } from './progress.js';
import { psWithArgs } from './ps.js';
import { nextDelay, restartOnDaemonStart, shouldRestart, validateRestartPolicy } from './restart-policy.js';
import {
  changesOf,
  copyImageContent,
  extractInto,
  isEmptyDir,
  resolveIn,
  statPath,
  tarOf,
  withRootfs,
} from './rootfs-access.js';
import { rootfsReader } from './rootfs-reader.js';
import { parseSignal } from './signals.js';
import { buildSpec, DEFAULT_PATH, resources } from './spec.js';
import { startFailure } from './start-failure.js';
import { ContainerConfig, type ContainerRecord, HostConfig } from './types.js';
import { resolveUser } from './user.js';
import { VolumeStore } from './volumes.js';

export const BERTH_VERSION = '0.1.0';
const forbidden = (m: string) => new DaemonError('FORBIDDEN', m);

export interface DaemonOptions {
  /** /var/lib/berth: containers/, volumes/ (images, snapshots and the supervisor are opened by the caller) */
  dataRoot: string;
  /** /run/berth */
  execRoot: string;
  /** parent cgroup of containers (default /berth) */
  cgroupParent?: string;
  supervisor: SupervisorLike;
  images: ImageServiceLike;
  snapshotter: SnapshotterLike;
  snapshotterName?: string;
  network?: NetworkLike;
  /** the builder (docker build); without it /build answers 501 */
  build?: Backend['build'];
  /** forgets the build cache (docker builder prune) */
  buildPrune?: () =>
    | Promise<{ CachesDeleted: string[]; SpaceReclaimed: number }>
    | { CachesDeleted: string[]; SpaceReclaimed: number };
  logger?: Logger;
  /** supervisor namespace for this daemon's containers */
  namespace?: string;
  registryMirrors?: string[];
  insecureRegistries?: string[];
  /** shown in `docker info` */
  name?: string;
  /** berth-init (`docker run --init`) */
  initPath?: string;
  /** the network of containers that name none: 'bridge' (default), or 'none' when the daemon has no bridge */
  defaultNetwork?: 'bridge' | 'none';
}

interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecCreate;
  running: boolean;
  exitCode: number | null;
  pid: number;
  started: boolean;
  /** settles when the exit is recorded (running false, exitCode set) */
  exited?: Promise<void>;
  /** the attached output streams have all ended: the exit is due at any moment */
  outputEnded?: boolean;
}

const CONTAINER_STATES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function imageRefOf(name: string): string {
  // Docker reports a missing image with its normalized tag
  if (name.startsWith('sha256:') || /^[0-9a-f]{12,64}$/.test(name)) return name;
  const lastSlash = name.lastIndexOf('/');
  const hasTag = name.slice(lastSlash + 1).includes(':') || name.includes('@');
  return hasTag ? name : `${name}:latest`;
}

export class Daemon implements Backend {
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly cgroupParent: string;
  readonly containers: ContainerStore;
  readonly volumes: VolumeStore;
  readonly bus = new EventBus();
  private readonly sup: SupervisorLike;
  private readonly images: ImageServiceLike;
  private readonly snapshotter: SnapshotterLike;
  private readonly snapshotterName: string;
  private readonly network: NetworkLike | undefined;
  private readonly log: Logger;
  private readonly ns: string;
  private readonly live = new Map<string, LiveContainer>();
  private readonly execs = new Map<string, ExecRecord>();
  /** image sizes by id, for SizeRootFs (filled by list and inspect) */
  private readonly imageSizes = new Map<string, number>();
  private readonly opts: DaemonOptions;
  private shuttingDown = false;
  private readonly stop = new AbortController();
  readonly build: Backend['build'];

  constructor(opts: DaemonOptions) {
    this.opts = opts;
    this.dataRoot = opts.dataRoot;
    this.execRoot = opts.execRoot;
    this.cgroupParent = opts.cgroupParent ?? '/berth';
    this.sup = opts.supervisor;
    this.images = opts.images;
    this.snapshotter = opts.snapshotter;
    this.snapshotterName = opts.snapshotterName ?? 'overlayfs';
    this.network = opts.network;
    this.log = opts.logger ?? silentLogger;
    this.ns = opts.namespace ?? 'berth';
    mkdirSync(this.dataRoot, { recursive: true, mode: 0o711 });
    mkdirSync(this.execRoot, { recursive: true, mode: 0o711 });
    this.containers = new ContainerStore(join(this.dataRoot, 'containers'), (m) => this.log.warn(m));
    this.volumes = new VolumeStore(join(this.dataRoot, 'volumes'));
    this.build =
      opts.build ??
      // biome-ignore lint/correctness/useYield: refuses before the first message
      async function* () {
        throw new ApiError(501, 'berthd was started without a builder');
      };
  }

  /** The network a NetworkMode means ('default' is the daemon's default network). */
  private networkOf(mode: string): string {
    return mode === 'default' ? (this.opts.defaultNetwork ?? 'bridge') : mode;
  }

  private liveOf(id: string): LiveContainer {
    let l = this.live.get(id);
    if (!l) {
      l = new LiveContainer();
      this.live.set(id, l);
    }
    return l;
  }

  private save(rec: ContainerRecord): void {
    this.containers.save(rec);
  }

  /** A change of run state only (restore() can learn it from the supervisor): the fsync is deferred. */
  private saveState(rec: ContainerRecord): void {
    this.containers.saveState(rec);
  }

  private emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.bus.emit('container', action, rec.Id, {
      ...(rec.Config.Labels ?? {}),
      image: rec.Config.Image ?? rec.Image,
      name: rec.Name.slice(1),
      ...extra,
    });
  }

  // ------------------------------------------------------------------------------------------
  // start-up and shutdown

  /**
   * Reconciles the records with the supervisor after a (re)start: containers whose task still runs
   * are monitored again; those that died while the daemon was away get their exit recorded; restart
   * policies bring back what they should.
   */
  /** Marks containers the OOM killer hit (supervisor /tasks/oom), for State.OOMKilled and the oom event. */
  private watchOom(): void {
    const events = this.sup.events;
    if (!events) return;
    const filters = [`topic=="/tasks/oom",namespace==${this.ns}`];
    void (async () => {
      try {
        for await (const e of events.subscribe({ filters, signal: this.stop.signal })) {
          const id = String(e.event.containerId ?? '');
          const rec = this.containers.find(id);
          if (!rec) continue;
          const live = this.liveOf(rec.Id);
          // the kernel notifies every time the cgroup hits its limit: one event per run is enough
          if (live.oom) continue;
          live.oom = true;
          live.onOom?.();
          this.emit(rec, 'oom');
        }
      } catch (err) {
        if (!this.stop.signal.aborted) this.log.warn({ err: String(err) }, 'OOM events unavailable');
      }
    })();
  }

  async restore(): Promise<void> {
    const { swept, scratch } = await sweepOrphans({
      containers: this.containers,
      supervisor: this.sup,
      snapshotter: this.snapshotter,
      namespace: this.ns,
      scratchDir: join(this.execRoot, 'mnt'),
      log: this.log,
    });
    if (swept.length + scratch.length > 0)
      this.log.info({ containers: swept.length, scratch: scratch.length }, 'swept what a crash left');
    this.watchOom();
    const tasks = new Map<string, Awaited<ReturnType<SupervisorLike['tasks']['list']>>[number]>();
    try {
      for (const t of await this.sup.tasks.list(this.ns)) if (!t.execId) tasks.set(t.id, t);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'cannot list tasks of the supervisor');
    }
    for (const rec of this.containers.list()) {
      const task = tasks.get(rec.Id);
      const live = this.liveOf(rec.Id);
      if (task && (task.status === 'running' || task.status === 'paused')) {
        rec.State = {
          ...rec.State,
          Status: task.status,
          Running: true,
          Paused: task.status === 'paused',
          Pid: task.pid,
        };
        this.save(rec);
        live.running = true;
        this.monitor(rec.Id);
        this.startHealth(rec);
        this.log.info({ id: rec.Id, pid: task.pid }, 'reattached to running container');
        continue;
      }
      const wasRunning = rec.State.Running || rec.State.Status === 'restarting';
      if (task) {
        const st = await this.sup.tasks.delete(this.ns, rec.Id, { force: true }).catch(() => undefined);
        if (wasRunning) this.recordExit(rec, st?.exitCode ?? task.exitStatus?.exitCode ?? 255, st?.exitedAt);
      } else if (wasRunning) this.recordExit(rec, 255, undefined);
      if (rec.State.Status === 'removing' || rec.State.Dead) {
        await this.cleanup(rec, false).catch((e) =>
          this.log.warn({ id: rec.Id, err: String(e) }, 'cleanup failed'),
        );
        continue;
      }
      if (rec.HostConfig.AutoRemove && !rec.State.Running && wasRunning) {
        await this.cleanup(rec, true).catch(() => {});
        continue;
      }
      if (
        restartOnDaemonStart(rec.HostConfig.RestartPolicy, rec.HasBeenManuallyStopped, rec.State.ExitCode) &&
        rec.State.StartedAt !== ZERO_TIME
      ) {
        this.startContainer(rec.Id).catch((e) =>
          this.log.error({ id: rec.Id, err: String(e) }, 'restart on daemon start failed'),
        );
      }
    }
  }

  /**
   * Graceful shutdown: the containers keep running (their shims own them); restart timers stop, the
   * supervisor is closed. Everything is reattached by restore() on the next start.
   */
  async close(): Promise<void> {
    this.shuttingDown = true;
    this.stop.abort();
    for (const l of this.live.values()) {
      if (l.restartTimer) clearTimeout(l.restartTimer);
      if (l.healthTimer) clearTimeout(l.healthTimer);
      for (const p of l.pending) this.closePending(p);
    }
    await this.containers.flush();
    // leave the cgroup parent only if empty (rmdir refuses a non-empty one)
    await this.sup.close();
  }

  /** Removes the daemon's cgroup parent in each v1 hierarchy when no container is left in it. */
  removeCgroupParent(): void {
    const base = '/sys/fs/cgroup';
    if (!existsSync(base)) return;
    for (const h of readdirSync(base)) {
      const dir = join(base, h, this.cgroupParent);
      try {
        if (existsSync(dir) && statSync(dir).isDirectory()) rmdirSync(dir);
      } catch {
        // busy (containers left running) or not ours
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // system

  async buildPrune(): Promise<{ CachesDeleted: string[]; SpaceReclaimed: number }> {
    if (!this.opts.buildPrune) throw new ApiError(501, 'berthd was started without a builder');
    const r = await this.opts.buildPrune();
    this.bus.emit('builder', 'prune', '', { reclaimed: String(r.SpaceReclaimed) });
    return r;
  }

  async ping(): Promise<void> {}

  async version(): Promise<SystemVersion> {
    return {
      Platform: { Name: 'berth' },
      Components: [
        {
          Name: 'Engine',
          Version: BERTH_VERSION,
          Details: { ApiVersion: '1.50', MinAPIVersion: '1.41', Os: 'linux', Arch: 'amd64' },
        },
      ],
      Version: BERTH_VERSION,
      GitCommit: 'berth',
      GoVersion: `node${process.versions.node}`,
      Os: 'linux',
      Arch: process.arch === 'x64' ? 'amd64' : process.arch,
      KernelVersion: release(),
      BuildTime: new Date(0).toISOString(),
    };
  }

  async info(): Promise<SystemInfo> {
    const all = this.containers.list();
    const images = await this.images.list();
    const running = all.filter((c) => c.State.Status === 'running').length;
    const paused = all.filter((c) => c.State.Status === 'paused').length;
    return {
      ID: this.daemonId(),
      Containers: all.length,
      ContainersRunning: running,
      ContainersPaused: paused,
      ContainersStopped: all.length - running - paused,
      Images: images.length,
      Driver: this.snapshotterName === 'overlayfs' ? 'overlay2' : this.snapshotterName,
      DriverStatus: [['Backing Filesystem', 'extfs']],
      DockerRootDir: this.dataRoot,
      Plugins: {
        Volume: ['local'],
        Network: ['bridge', 'host', 'none'],
        Authorization: null,
        Log: ['json-file'],
      },
      MemoryLimit: true,
      SwapLimit: existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes'),
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      OomKillDisable: true,
      IPv4Forwarding: readFileOr('/proc/sys/net/ipv4/ip_forward', '0').trim() === '1',
      Debug: false,
      NFd: safeCount(`/proc/${process.pid}/fd`),
      NGoroutines: 0,
      SystemTime: new Date().toISOString(),
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1',
      NEventsListener: this.bus.listenerCount,
      KernelVersion: release(),
      OperatingSystem: osName(),
      OSVersion: '',
      OSType: 'linux',
      Architecture: process.arch === 'x64' ? 'x86_64' : process.arch,
      NCPU: cpus().length,
      MemTotal: totalmem(),
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: {
        IndexConfigs: {},
        InsecureRegistryCIDRs: [],
        Mirrors: this.opts.registryMirrors ?? [],
        InsecureRegistries: this.opts.insecureRegistries ?? [],
      },
      HttpProxy: process.env.HTTP_PROXY ?? '',
      HttpsProxy: process.env.HTTPS_PROXY ?? '',
      NoProxy: process.env.NO_PROXY ?? '',
      Name: this.opts.name ?? hostname(),
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: BERTH_VERSION,
      Runtimes: { berth: { path: 'berth' } },
      DefaultRuntime: 'berth',
      Swarm: { LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false, Error: '' },
      LiveRestoreEnabled: true,
      Isolation: '',
      InitBinary: this.opts.initPath ? 'berth-init' : '',
      SecurityOptions: ['name=seccomp,profile=builtin'],
      Warnings: null,
    };
  }

  private daemonId(): string {
    const file = join(this.dataRoot, 'engine-id');
    if (!existsSync(file)) {
      const id = randomBytes(16).toString('hex');
      mkdirSync(this.dataRoot, { recursive: true });
      writeFileAtomic(file, id);
    }
    return readFileOr(file, '').trim();
  }

  async df(opts: { type: string[] }): Promise<SystemDf> {
    const want = (t: string) => opts.type.length === 0 || opts.type.includes(t);
    // layers shared by images are counted once per image here (an upper bound of the disk they take)
    const layers = want('image') ? (await this.images.list()).reduce((n, i) => n + (i.size ?? 0), 0) : 0;
    return {
      LayersSize: layers,
      Images: want('image')
        ? await this.imageList({
            all: false,
            filters: {},
            'shared-size': false,
            digests: false,
            manifests: false,
          } as ImageListQuery)
        : [],
      Containers: want('container') ? await this.containerList({ all: true, size: true, filters: {} }) : [],
      Volumes: want('volume') ? (await this.volumeList({ filters: {} })).Volumes : [],
      BuildCache: [],
    };
  }

  async events(opts: {
    since?: number;
    until?: number;
    filters: Filters;
    signal: AbortSignal;
  }): Promise<AsyncIterable<EventMessage>> {
    return this.bus.subscribe(opts);
  }

  // ------------------------------------------------------------------------------------------
  // containers: create

  async containerCreate(opts: {
    name?: string;
    platform?: string;
    body: ContainerCreate;
  }): Promise<ContainerCreateResponse> {
    const { HostConfig: hostIn, NetworkingConfig: netIn, ...configIn } = opts.body;
    const cfg = ContainerConfig.safeParse(configIn);
    if (!cfg.success)
      throw invalid(
        `invalid container config at ${cfg.error.issues[0]?.path.join('.')}: ${cfg.error.issues[0]?.message}`,
      );
    const hc = HostConfig.safeParse(hostIn ?? {});
    if (!hc.success)
      throw invalid(
        `invalid HostConfig at ${hc.error.issues[0]?.path.join('.')}: ${hc.error.issues[0]?.message}`,
      );
    const host = hc.data;
    const imageName = cfg.data.Image ?? '';
    if (!imageName) throw invalid('No image specified (Config.Image is empty)');
    const image = await this.images.get(imageName);
    if (!image) throw notFound(`No such image: ${imageRefOf(imageName)}`);

    // everything checkable without side effects first, so a refusal changes nothing
    validateRestartPolicy(host.RestartPolicy, !!host.AutoRemove);
    containerCapabilities({ privileged: host.Privileged, capAdd: host.CapAdd, capDrop: host.CapDrop });
    const logType = host.LogConfig?.Type || 'json-file';
    if (logType !== 'json-file' && logType !== 'none')
      throw invalid(`logging driver "${logType}" is not supported by berth (json-file, none)`);
    const netMode = host.NetworkMode || 'default';
    if (
      !['default', 'bridge', 'host', 'none'].includes(netMode) &&
      !netMode.startsWith('container:') &&
      !this.network
    )
      throw invalid(`network ${netMode} not found`);
    if (host.Init && !this.opts.initPath)
      throw invalid('--init needs berth-init, which this daemon was not given');
    const config = mergeImageConfig(cfg.data, image.config.config);
    config.Image = imageName;
    const args = commandOf(config);
    if (args.length === 0) throw invalid('No command specified');

    const id = newId();
    const name = opts.name ? normalizeName(opts.name) : randomName((n) => this.containers.nameTaken(n));
    this.containers.reserveName(name, id);
    const dir = this.containers.dir(id);
    const made: { volumes: string[]; snapshot: boolean } = { volumes: [], snapshot: false };
    try {
      const before = new Set(this.volumes.list().map((v) => v.Name));
      const mountPoints = resolveMountPoints(host, Object.keys(config.Volumes ?? {}), this.volumes);
      for (const mp of mountPoints)
        if (mp.Type === 'volume' && mp.Name && !before.has(mp.Name)) made.volumes.push(mp.Name);
      mkdirSync(dir, { recursive: true, mode: 0o710 });
      await this.images.prepareRootfs(image.id, id);
      made.snapshot = true;
      // empty volumes over image paths get the image's content there (Docker's copy-up)
      const fill = mountPoints.filter((mp) => mp.Type === 'volume' && !mp.NoCopy && isEmptyDir(mp.Source));
      if (fill.length > 0)
        await withRootfs(
          { mounts: () => this.snapshotter.mounts(id), scratch: join(this.execRoot, 'mnt', `${id}-copy`) },
          async (root) => {
            for (const mp of fill) {
              const src = resolveIn(root, mp.Destination);
              if (existsSync(src)) copyImageContent(src, mp.Source);
            }
          },
        );
      const rec: ContainerRecord = {
        Id: id,
        Created: new Date().toISOString(),
        Path: args[0]!,
        Args: args.slice(1),
        Name: name,
        ...networkAliases(netIn),
        RestartCount: 0,
        Driver: this.snapshotterName === 'overlayfs' ? 'overlay2' : this.snapshotterName,
        Platform: 'linux',
        Image: image.id,
        Config: { ...config, Hostname: config.Hostname || id.slice(0, 12) },
        HostConfig: {
          ...host,
          NetworkMode: netMode,
          LogConfig: { Type: logType, Config: host.LogConfig?.Config ?? {} },
        },
        State: createdState(),
        MountPoints: mountPoints,
        LogPath: logType === 'none' ? '' : join(dir, `${id}-json.log`),
        ResolvConfPath: join(dir, 'resolv.conf'),
        HostnamePath: join(dir, 'hostname'),
        HostsPath: join(dir, 'hosts'),
        SnapshotKey: id,
        HasBeenManuallyStopped: false,
      };
      this.save(rec);
      for (const v of made.volumes) this.bus.emit('volume', 'create', v, { driver: 'local' });
      this.emit(rec, 'create');
      this.log.info({ id, name, image: imageName }, 'container created');
      return { Id: id, Warnings: [] };
    } catch (e) {
      this.containers.releaseName(name);
      if (made.snapshot) safe(() => this.snapshotter.remove(id));
      for (const v of made.volumes) safe(() => this.volumes.remove(v, [], true));
      this.containers.remove(id);
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------
  // containers: start, the exit monitor, restart policies

  async containerStart(id: string, _opts: { detachKeys?: string }): Promise<void> {
    const rec = this.containers.get(id);
    if (rec.State.Running) throw new ApiError(304, 'container already started');
    if (rec.State.Status === 'removing' || rec.State.Dead)
      throw conflict(`container ${rec.Id} is marked for removal and cannot be started`);
    // written only when it changes (after a stop): a start that fails records its state itself
    if (rec.HasBeenManuallyStopped) {
      rec.HasBeenManuallyStopped = false;
      this.save(rec);
    }
    try {
      await this.startContainer(rec.Id);
    } catch (e) {
      // as dockerd: a container that cannot start is removed when it was to be removed on exit
      if (rec.HostConfig.AutoRemove) {
        const cur = this.containers.find(rec.Id);
        if (cur) await this.removeStopped(cur, true).catch(() => {});
      }
      throw e;
    }
  }

  private startContainer(id: string): Promise<void> {
    const live = this.liveOf(id);
    return live.serialize(async () => {
      const rec = this.containers.get(id);
      if (rec.State.Running) return;
      live.stopping = false;
      await this.createAndStartTask(rec, live).catch((e) => {
        const failure = startFailure(e);
        rec.State = {
          ...rec.State,
          Status: rec.State.StartedAt === ZERO_TIME ? 'created' : 'exited',
          Running: false,
          Restarting: false,
          Error: failure.message,
          ExitCode: failure.exitCode,
        };
        if (rec.State.Status === 'exited') rec.State.FinishedAt = new Date().toISOString();
        this.save(rec);
        for (const p of live.pending) this.closePending(p);
        live.pending.clear();
        live.settle('exit', failure.exitCode, failure.message);
        throw failure.error;
      });
    });
  }

  private async createAndStartTask(rec: ContainerRecord, live: LiveContainer): Promise<void> {
    const id = rec.Id;
    const dir = this.containers.dir(id);
    const host = rec.HostConfig;
    const mounts = this.snapshotter.mounts(rec.SnapshotKey);
    const readRootfs = rootfsReader(mounts);
    const netMode = host.NetworkMode || 'default';
    let netnsPath: string | undefined;
    let ipAddress: string | undefined;
    // Docker's none (a network namespace of its own with only lo, up) needs nothing here: the
    // spec's network namespace without a path is made by the container's clone, and the init
    // engine brings lo up in it (the runtime asks for that). Nothing pinned, no CNI, no network
    // state written, nothing to release at exit.
    const none = this.networkOf(netMode) === 'none';
    if (netMode.startsWith('container:')) {
      const other = this.containers.get(netMode.slice('container:'.length));
      if (!other.State.Running) throw conflict(`cannot join network of a non running container: ${other.Id}`);
      netnsPath = `/proc/${other.State.Pid}/ns/net`;
    } else if (netMode !== 'host' && !none && this.network) {
      netnsPath = await this.network.createNetns(id);
      const network = this.networkOf(netMode);
      const ports = Object.entries(host.PortBindings ?? {}).flatMap(([key, bindings]) => {
        const [port, proto = 'tcp'] = key.split('/');
        return (bindings ?? [{}]).map((b) => ({
          ...(b.HostIp ? { hostIp: b.HostIp } : {}),
          ...(b.HostPort ? { hostPort: Number(b.HostPort) } : {}),
          containerPort: Number(port),
          protocol: proto,
        }));
      });
      const r = await this.network.attach({
        containerId: id,
        netnsPath,
        network,
        ports,
        hostname: rec.Config.Hostname ?? shortId(id),
        name: rec.Name.replace(/^\//, ''),
        ...(rec.NetworkAliases?.[network] ? { aliases: rec.NetworkAliases[network] } : {}),
      });
      ipAddress = r.ipAddress;
      rec.NetworkSettings = {
        Networks: {
          [network]: {
            IPAddress: r.ipAddress,
            IPPrefixLen: r.prefixLen,
            Gateway: r.gateway,
            MacAddress: r.macAddress,
            NetworkID: network,
          },
        },
        IPAddress: r.ipAddress,
        IPPrefixLen: r.prefixLen,
        Gateway: r.gateway,
        MacAddress: r.macAddress,
        SandboxKey: netnsPath,
        Ports: Object.fromEntries(
          (r.ports ?? []).map((p) => [
            `${p.containerPort}/${p.protocol}`,
            [{ HostIp: p.hostIp ?? '0.0.0.0', HostPort: String(p.hostPort) }],
          ]),
        ),
      };
      for (const extraNet of rec.ExtraNetworks ?? []) {
        if (extraNet === network) continue;
        const x = await this.network.attach({
          containerId: id,
          netnsPath,
          network: extraNet,
          hostname: rec.Config.Hostname ?? shortId(id),
          name: rec.Name.replace(/^\//, ''),
          ...(rec.NetworkAliases?.[extraNet] ? { aliases: rec.NetworkAliases[extraNet] } : {}),
        });
        (rec.NetworkSettings.Networks as Record<string, unknown>)[extraNet] = endpointOf(extraNet, x);
      }
    }
    // on a bridge network the network manager keeps the hosts file current as peers come and go
    const managed = ipAddress && this.network?.containerFiles;
    const files = managed
      ? await this.network!.containerFiles!({
          containerId: id,
          dir,
          hostname: rec.Config.Hostname || shortId(id),
          ...(rec.Config.Domainname ? { domainname: rec.Config.Domainname } : {}),
          ...(host.ExtraHosts?.length ? { extraHosts: [...host.ExtraHosts] } : {}),
          ...(host.Dns?.length ? { dns: [...host.Dns] } : {}),
          ...(host.DnsSearch?.length ? { dnsSearch: [...host.DnsSearch] } : {}),
          ...(host.DnsOptions?.length ? { dnsOptions: [...host.DnsOptions] } : {}),
        }).then((f) => ({ hosts: f.hostsPath, hostname: f.hostnamePath, resolvConf: f.resolvConfPath }))
      : writeContainerFiles({
          dir,
          hostname: rec.Config.Hostname || shortId(id),
          domainname: rec.Config.Domainname,
          hostNetwork: netMode === 'host',
          ...(ipAddress ? { ipAddress } : {}),
          extraHosts: host.ExtraHosts,
          dns: host.Dns,
          dnsSearch: host.DnsSearch,
          dnsOptions: host.DnsOptions,
        });
    const spec = buildSpec({
      record: rec,
      rootfs: 'rootfs',
      readRootfs,
      cgroupParent: host.CgroupParent || this.cgroupParent,
      ...(this.opts.initPath ? { initPath: this.opts.initPath } : {}),
      ...(netnsPath ? { netnsPath } : {}),
      files,
    });
    try {
      await this.sup.containers.get(this.ns, id);
      await this.sup.containers.update(this.ns, id, { spec });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      await this.sup.containers.create(this.ns, {
        id,
        image: rec.Config.Image ?? '',
        snapshotter: this.snapshotterName,
        snapshotKey: rec.SnapshotKey,
        spec,
        labels: rec.Config.Labels ?? {},
      });
    }
    const logCfg = host.LogConfig?.Config ?? {};
    const task = await this.sup.tasks.create(this.ns, id, {
      rootfs: mounts,
      terminal: !!rec.Config.Tty,
      stdin: !!rec.Config.OpenStdin,
      ...(rec.LogPath
        ? {
            log: {
              path: rec.LogPath,
              format: 'json-file' as const,
              ...(logCfg['max-size'] ? { maxSize: parseSize(logCfg['max-size']) } : {}),
              ...(logCfg['max-file'] ? { maxFiles: Number(logCfg['max-file']) } : {}),
            },
          }
        : {}),
    });
    // attaches made before start (docker run) see the output from the first byte
    for (const p of live.pending) await this.connectPending(rec, p).catch(() => this.closePending(p));
    live.pending.clear();
    live.oom = false;
    try {
      await this.sup.tasks.start(this.ns, id);
    } catch (e) {
      await this.sup.tasks.delete(this.ns, id, { force: true }).catch(() => {});
      throw e;
    }
    rec.State = {
      ...rec.State,
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: task.pid,
      ExitCode: 0,
      Error: '',
      StartedAt: new Date().toISOString(),
    };
    this.saveState(rec);
    live.running = true;
    this.emit(rec, 'start');
    this.monitor(id);
    this.startHealth(rec);
  }

  // ------------------------------------------------------------------------------------------
  // health checks

  private startHealth(rec: ContainerRecord): void {
    const probe = probeOf(rec);
    if (!probe) return;
    const live = this.liveOf(rec.Id);
    const started = Date.now();
    rec.State.Health = { Status: 'starting', FailingStreak: 0, Log: [] };
    this.save(rec);
    const schedule = () => {
      const inStart = Date.now() - started < probe.startPeriodMs;
      live.healthTimer = setTimeout(tick, inStart ? probe.startIntervalMs : probe.intervalMs);
    };
    const tick = async () => {
      live.healthTimer = undefined;
      const cur = this.containers.find(rec.Id);
      if (!cur?.State.Running || this.shuttingDown) return;
      if (cur.State.Paused) return schedule();
      const result = await this.runProbe(cur, probe).catch((e) => ({
        Start: new Date().toISOString(),
        End: new Date().toISOString(),
        ExitCode: -1,
        Output: (e as Error).message,
      }));
      const now = this.containers.find(rec.Id);
      if (!now?.State.Running) return;
      const change = recordProbe(now, result, probe, Date.now() - started < probe.startPeriodMs);
      this.saveState(now);
      if (change) this.emit(now, `health_status: ${change}`);
      schedule();
    };
    schedule();
  }

  private stopHealth(id: string): void {
    const live = this.live.get(id);
    if (live?.healthTimer) clearTimeout(live.healthTimer);
    if (live) live.healthTimer = undefined;
  }

  private async runProbe(rec: ContainerRecord, probe: Probe): Promise<ProbeResult> {
    const execId = `health-${randomBytes(8).toString('hex')}`;
    const Start = new Date().toISOString();
    const env = [...(rec.Config.Env ?? [])];
    if (!env.some((e) => e.startsWith('PATH='))) env.unshift(DEFAULT_PATH);
    await this.sup.tasks.exec(this.ns, rec.Id, execId, {
      process: { args: probe.args, env, cwd: rec.Config.WorkingDir || '/' },
      terminal: false,
      stdin: false,
    });
    let output = '';
    const ta = await this.sup.tasks.attach(this.ns, rec.Id, { execId, stdout: true, stderr: true });
    for (const s of [ta.stdout, ta.stderr])
      s?.on('data', (c: Buffer) => {
        if (output.length < 4096) output += c.toString();
      });
    try {
      await this.sup.tasks.start(this.ns, rec.Id, { execId });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), probe.timeoutMs);
      });
      const r = await Promise.race([this.sup.tasks.wait(this.ns, rec.Id, { execId }), timedOut]);
      clearTimeout(timer);
      if (r === 'timeout') {
        await this.sup.tasks.kill(this.ns, rec.Id, 9, { execId }).catch(() => {});
        return {
          Start,
          End: new Date().toISOString(),
          ExitCode: -1,
          Output: `Health check exceeded timeout (${probe.timeoutMs / 1000}s)`,
        };
      }
      // The exit arrives on another connection than the output: let the output reach its end first.
      await streamsEnded([ta.stdout, ta.stderr], 1000);
      return { Start, End: new Date().toISOString(), ExitCode: r.exitCode, Output: output };
    } finally {
      ta.close();
      await this.sup.tasks.deleteProcess(this.ns, rec.Id, execId).catch(() => {});
    }
  }

  /** Waits for the init to exit, then records it, cleans the task and applies the restart policy. */
  private monitor(id: string): void {
    const live = this.liveOf(id);
    let done!: () => void;
    live.exited = new Promise((r) => {
      done = r;
    });
    void (async () => {
      let exit: { exitCode: number; exitedAt?: string } = { exitCode: 255 };
      try {
        exit = await this.sup.tasks.wait(this.ns, id);
      } catch (e) {
        this.log.warn({ id, err: String(e) }, 'waiting for the container failed');
      }
      if (this.shuttingDown) {
        done();
        return;
      }
      // the task and the network go at once: the init is gone, neither is in use any more
      const before = this.containers.find(id);
      const detached =
        before && this.network && !before.HostConfig.NetworkMode?.startsWith('container:')
          ? this.detachNetwork(before, { atExit: true }).catch(() => {})
          : undefined;
      await this.sup.tasks.delete(this.ns, id, { force: true }).catch(() => {});
      await detached;
      const rec = this.containers.find(id);
      live.running = false;
      if (!rec) {
        done();
        return;
      }
      this.stopHealth(id);
      const startedAt = Date.parse(rec.State.StartedAt);
      // the OOM event may trail the exit a little
      if (exit.exitCode === 137 && !live.oom && this.sup.events)
        await new Promise<void>((r) => {
          live.onOom = r;
          setTimeout(r, 500);
        });
      live.onOom = undefined;
      // a stopped container has no address and publishes nothing (as Docker shows it)
      if (detached) rec.NetworkSettings = undefined;
      this.recordExit(rec, exit.exitCode, exit.exitedAt);
      if (live.oom) {
        rec.State.OOMKilled = true;
        this.saveState(rec);
      }
      this.emit(rec, 'die', { exitCode: String(exit.exitCode) });
      this.log.info({ id, exitCode: exit.exitCode }, 'container exited');
      live.settle('exit', exit.exitCode);
      const restart = shouldRestart(rec.HostConfig.RestartPolicy, {
        exitCode: exit.exitCode,
        manuallyStopped: rec.HasBeenManuallyStopped || live.stopping,
        restartCount: rec.RestartCount,
        shuttingDown: this.shuttingDown,
      });
      done();
      if (restart) {
        live.restartDelay = nextDelay(live.restartDelay, Date.now() - startedAt);
        rec.State = { ...rec.State, Status: 'restarting', Restarting: true };
        this.save(rec);
        live.restartTimer = setTimeout(() => {
          live.restartTimer = undefined;
          const cur = this.containers.find(id);
          if (cur?.State.Status !== 'restarting' || this.shuttingDown) return;
          cur.RestartCount++;
          this.save(cur);
          this.startContainer(id)
            .then(() => this.emit(cur, 'restart'))
            .catch((e) => this.log.error({ id, err: String(e) }, 'restart failed'));
        }, live.restartDelay);
      } else if (rec.HostConfig.AutoRemove && !live.stopping) {
        await this.removeStopped(rec, true).catch((e) =>
          this.log.warn({ id, err: String(e) }, 'auto-remove failed'),
        );
      } else if (rec.HostConfig.AutoRemove) {
        // a stop of an auto-remove container: remove once the stop returns
        setImmediate(() => {
          const cur = this.containers.find(id);
          if (cur && !cur.State.Running) this.removeStopped(cur, true).catch(() => {});
        });
      }
    })();
  }

  private recordExit(rec: ContainerRecord, exitCode: number, exitedAt: string | undefined): void {
    rec.State = {
      ...rec.State,
      Status: 'exited',
      Running: false,
      Paused: false,
      Restarting: false,
      Pid: 0,
      ExitCode: exitCode,
      FinishedAt: exitedAt ?? new Date().toISOString(),
    };
    this.saveState(rec);
  }

  /**
   * Releases the container's endpoints and pinned netns. At exit a none container has nothing to
   * release (its clone made its netns) unless it holds a pinned one still: its primary network
   * was disconnected while it ran (the mode turned none, the SandboxKey stayed). Removal always
   * asks (idempotent, no state write when nothing is recorded) to sweep what an older berthd pinned.
   */
  private async detachNetwork(rec: ContainerRecord, opts: { atExit: boolean }): Promise<void> {
    if (!this.network) return;
    const mode = this.networkOf(rec.HostConfig.NetworkMode || 'default');
    if (mode === 'host' || mode.startsWith('container:')) return;
    if (mode === 'none' && opts.atExit && !rec.NetworkSettings?.SandboxKey) return;
    if (mode !== 'none') await this.network.detach(rec.Id, mode).catch(() => {});
    await this.network.removeNetns(rec.Id);
  }

  // ------------------------------------------------------------------------------------------
  // containers: stop, kill, restart, remove, wait

  async containerStop(id: string, opts: { signal?: string; timeout?: number }): Promise<void> {
    const rec = this.containers.get(id);
    const live = this.liveOf(rec.Id);
    if (rec.State.Status === 'restarting') {
      if (live.restartTimer) clearTimeout(live.restartTimer);
      live.restartTimer = undefined;
      rec.HasBeenManuallyStopped = true;
      this.recordExit(rec, rec.State.ExitCode, undefined);
      return;
    }
    if (!rec.State.Running) throw new ApiError(304, 'container already stopped');
    rec.HasBeenManuallyStopped = true;
    this.save(rec);
    await this.stopContainer(
      rec,
      opts.signal ?? rec.Config.StopSignal ?? 'SIGTERM',
      opts.timeout ?? rec.Config.StopTimeout ?? 10,
    );
    this.emit(rec, 'stop');
  }

  /** Signal, wait up to `timeout` seconds (-1: forever), then SIGKILL. */
  private async stopContainer(rec: ContainerRecord, signal: string, timeout: number): Promise<void> {
    const live = this.liveOf(rec.Id);
    live.stopping = true;
    if (rec.State.Paused) await this.sup.tasks.resume(this.ns, rec.Id).catch(() => {});
    const sig = parseSignal(signal);
    await this.sup.tasks.kill(this.ns, rec.Id, sig).catch(() => {});
    this.emit(rec, 'kill', { signal: String(sig) });
    const exited = live.exited;
    const inTime =
      timeout < 0
        ? await exited.then(() => true)
        : await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), timeout * 1000)),
          ]);
    if (!inTime) {
      await this.sup.tasks.kill(this.ns, rec.Id, 9, { all: true }).catch(() => {});
      await exited;
    }
  }

  async containerRestart(id: string, opts: { signal?: string; timeout?: number }): Promise<void> {
    const rec = this.containers.get(id);
    if (rec.State.Running) {
      await this.stopContainer(
        rec,
        opts.signal ?? rec.Config.StopSignal ?? 'SIGTERM',
        opts.timeout ?? rec.Config.StopTimeout ?? 10,
      );
      this.emit(rec, 'stop');
    }
    const cur = this.containers.get(rec.Id);
    cur.HasBeenManuallyStopped = false;
    this.save(cur);
    await this.startContainer(rec.Id);
    this.emit(cur, 'restart');
  }

  async containerKill(id: string, opts: { signal?: string }): Promise<void> {
    const rec = this.containers.get(id);
    if (!rec.State.Running)
      throw conflict(`Cannot kill container: ${id}: Container ${rec.Id} is not running`);
    const sig = parseSignal(opts.signal ?? 'SIGKILL');
    if (sig === 9 || sig === 15 || sig === 2) {
      rec.HasBeenManuallyStopped = true;
      this.liveOf(rec.Id).stopping = true;
      this.save(rec);
    }
    await this.sup.tasks.kill(this.ns, rec.Id, sig);
    this.emit(rec, 'kill', { signal: String(sig) });
  }

  async containerPause(id: string): Promise<void> {
    const rec = this.containers.get(id);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    if (rec.State.Paused) throw conflict(`Container ${rec.Id} is already paused`);
    await this.sup.tasks.pause(this.ns, rec.Id);
    rec.State = { ...rec.State, Status: 'paused', Paused: true };
    this.save(rec);
    this.emit(rec, 'pause');
  }

  async containerUnpause(id: string): Promise<void> {
    const rec = this.containers.get(id);
    if (!rec.State.Paused) throw conflict(`Container ${rec.Id} is not paused`);
    await this.sup.tasks.resume(this.ns, rec.Id);
    rec.State = { ...rec.State, Status: 'running', Paused: false };
    this.save(rec);
    this.emit(rec, 'unpause');
  }

  async containerWait(
    id: string,
    opts: { condition: WaitCondition; signal: AbortSignal },
  ): Promise<{ result: Promise<ContainerWaitResponse> }> {
    const rec = this.containers.get(id);
    const live = this.liveOf(rec.Id);
    if (opts.condition === 'not-running' && !rec.State.Running && rec.State.Status !== 'restarting')
      return { result: Promise.resolve({ StatusCode: rec.State.ExitCode, Error: null }) };
    const result = new Promise<ContainerWaitResponse>((resolve, reject) => {
      const w = { condition: opts.condition, resolve };
      live.waiters.push(w);
      opts.signal.addEventListener('abort', () => {
        live.waiters = live.waiters.filter((x) => x !== w);
        reject(new Error('client went away'));
      });
    });
    return { result };
  }

  async containerRemove(
    id: string,
    opts: { force: boolean; removeVolumes: boolean; link: boolean },
  ): Promise<void> {
    if (opts.link) throw invalid('links are not supported by berth');
    const rec = this.containers.get(id);
    if (rec.State.Status === 'removing')
      throw conflict(`removal of container ${rec.Id} is already in progress`);
    const live = this.liveOf(rec.Id);
    if (rec.State.Running || rec.State.Status === 'restarting') {
      if (!opts.force)
        throw conflict(
          `cannot remove container "${rec.Name}": container is ${rec.State.Status === 'restarting' ? 'restarting' : 'running'}: stop the container before removing or force remove`,
        );
      if (live.restartTimer) clearTimeout(live.restartTimer);
      live.restartTimer = undefined;
      live.stopping = true;
      if (rec.State.Running) {
        if (rec.State.Paused) await this.sup.tasks.resume(this.ns, rec.Id).catch(() => {});
        await this.sup.tasks.kill(this.ns, rec.Id, 9, { all: true }).catch(() => {});
        await live.exited;
      }
    }
    await this.removeStopped(this.containers.get(rec.Id), opts.removeVolumes);
  }

  private async removeStopped(rec: ContainerRecord, removeVolumes: boolean): Promise<void> {
    if (!this.containers.find(rec.Id)) return;
    rec.State = { ...rec.State, Status: 'removing' };
    this.save(rec);
    await this.cleanup(rec, removeVolumes);
  }

  /** Removes everything a container owns; safe to repeat after a crash half-way. */
  private async cleanup(rec: ContainerRecord, removeVolumes: boolean): Promise<void> {
    const id = rec.Id;
    await this.sup.tasks.delete(this.ns, id, { force: true }).catch(() => {});
    await this.sup.containers.delete(this.ns, id).catch((e) => {
      if (statusOf(e) !== 404) this.log.warn({ id, err: String(e) }, 'supervisor container delete failed');
    });
    await this.detachNetwork(rec, { atExit: false }).catch(() => {});
    try {
      this.snapshotter.remove(rec.SnapshotKey);
    } catch (e) {
      if (statusOf(e) !== 404 && !String((e as Error).message).match(/not found|does not exist/i))
        this.log.warn({ id, err: String(e) }, 'snapshot remove failed');
    }
    if (removeVolumes) {
      for (const mp of rec.MountPoints) {
        if (mp.Type !== 'volume' || !mp.Anonymous || !mp.Name) continue;
        const users = this.volumeUsers(mp.Name).filter((c) => c !== id);
        if (users.length === 0) {
          safe(() => this.volumes.remove(mp.Name!, [], true));
          this.bus.emit('volume', 'destroy', mp.Name, { driver: 'local' });
        }
      }
    }
    for (const [execId, ex] of this.execs) if (ex.containerId === id) this.execs.delete(execId);
    this.containers.remove(id);
    const live = this.liveOf(id);
    this.emit(rec, 'destroy');
    live.settle('removed', rec.State.ExitCode);
    this.live.delete(id);
    this.log.info({ id }, 'container removed');
  }

  async containerRename(id: string, opts: { name: string }): Promise<void> {
    const rec = this.containers.get(id);
    const name = normalizeName(opts.name);
    if (name === rec.Name) throw invalid(`Renaming a container with the same name as its current name`);
    this.containers.reserveName(name, rec.Id);
    const old = rec.Name;
    rec.Name = name;
    this.save(rec);
    this.emit(rec, 'rename', { oldName: old });
  }

  async containerUpdate(id: string, body: ContainerUpdate): Promise<ContainerUpdateResponse> {
    const rec = this.containers.get(id);
    const merged = HostConfig.parse({ ...rec.HostConfig, ...body });
    if (body.RestartPolicy) validateRestartPolicy(body.RestartPolicy, !!rec.HostConfig.AutoRemove);
    if (rec.State.Running) await this.sup.tasks.update(this.ns, rec.Id, resources(merged));
    rec.HostConfig = merged;
    this.save(rec);
    this.emit(rec, 'update');
    return { Warnings: [] };
  }

  async containerResize(id: string, opts: { height: number; width: number }): Promise<void> {
    const rec = this.containers.get(id);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    await this.sup.tasks.resize(this.ns, rec.Id, { cols: opts.width, rows: opts.height }).catch(() => {});
  }

  async containerTop(id: string, opts: { psArgs?: string }): Promise<ContainerTopResponse> {
    const rec = this.containers.get(id);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    const pids = await this.sup.tasks.pids(this.ns, rec.Id);
    if (opts.psArgs && opts.psArgs !== '-ef') return psWithArgs(opts.psArgs, pids);
    const ticks = 100;
    const boot = bootTimeSec();
    const rows = pids.map((pid) => {
      const stat = readFileOr(`/proc/${pid}/stat`, '');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = after[1] ?? '0';
      const utime = Number(after[11] ?? 0);
      const stime = Number(after[12] ?? 0);
      const start = Number(after[19] ?? 0);
      const uid = /^Uid:\s+(\d+)/m.exec(readFileOr(`/proc/${pid}/status`, ''))?.[1] ?? '0';
      const cmd = readFileOr(`/proc/${pid}/cmdline`, '').split('\0').filter(Boolean).join(' ');
      const startDate = new Date((boot + start / ticks) * 1000);
      const cpu = Math.floor((utime + stime) / ticks);
      const time = `${String(Math.floor(cpu / 3600)).padStart(2, '0')}:${String(Math.floor((cpu % 3600) / 60)).padStart(2, '0')}:${String(cpu % 60).padStart(2, '0')}`;
      return [
        uid === '0' ? 'root' : uid,
        String(pid),
        ppid,
        '0',
        startDate.toTimeString().slice(0, 5),
        '?',
        time,
        cmd,
      ];
    });
    return { Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: rows };
  }

  async containerChanges(id: string): Promise<FilesystemChange[]> {
    const rec = this.containers.get(id);
    const hidden = [
      '/etc/hosts',
      '/etc/hostname',
      '/etc/resolv.conf',
      ...rec.MountPoints.map((m) => m.Destination),
    ];
    return changesOf(this.snapshotter.mounts(rec.SnapshotKey), hidden);
  }

  // ------------------------------------------------------------------------------------------
  // containers: list and inspect

  async containerList(opts: {
    all: boolean;
    limit?: number;
    size: boolean;
    filters: Filters;
  }): Promise<ContainerSummary[]> {
    const f = opts.filters;
    for (const s of f.status ?? [])
      if (!CONTAINER_STATES.includes(s)) throw invalid(`invalid filter 'status=${s}'`);
    if (opts.size)
      for (const img of await this.images.list())
        if (img.size !== undefined) this.imageSizes.set(img.id, img.size);
    let list = this.containers
      .list()
      .filter((c) => opts.all || (f.status?.length ?? 0) > 0 || opts.limit !== undefined || c.State.Running)
      .filter((c) => filterContainer(c, f));
    // before=/since=<container>: created before or after that one
    for (const [key, older] of [
      ['before', true],
      ['since', false],
    ] as const) {
      const ref = f[key]?.[0];
      if (!ref) continue;
      const t = Date.parse(this.containers.get(ref).Created);
      list = list.filter((c) => (older ? Date.parse(c.Created) < t : Date.parse(c.Created) > t));
    }
    list.sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
    if (opts.limit !== undefined && opts.limit > 0) list = list.slice(0, opts.limit);
    return list.map((c) => ({ ...this.summary(c), ...(opts.size ? this.sizes(c) : {}) }));
  }

  private summary(c: ContainerRecord): ContainerSummary {
    const net = c.HostConfig.NetworkMode || 'default';
    return {
      Id: c.Id,
      Names: [c.Name],
      Image: c.Config.Image ?? c.Image,
      ImageID: c.Image,
      Command: commandText(c),
      Created: Math.floor(Date.parse(c.Created) / 1000),
      Ports: portsOf(c),
      Labels: c.Config.Labels ?? {},
      State: c.State.Status,
      Status: statusText(c),
      HostConfig: { NetworkMode: net },
      NetworkSettings: {
        Networks: (c.NetworkSettings?.Networks as ContainerSummary['NetworkSettings']['Networks']) ?? {},
      },
      Mounts: c.MountPoints.map(mountOut),
    };
  }

  /** SizeRw (the container's own layer) and SizeRootFs (with the image's), as `ps --size` shows them. */
  private sizes(c: ContainerRecord): { SizeRw?: number; SizeRootFs?: number } {
    try {
      const rw = this.snapshotter.usage?.(c.SnapshotKey).size;
      if (rw === undefined) return {};
      const image = this.imageSizes.get(c.Image) ?? 0;
      return { SizeRw: rw, SizeRootFs: rw + image };
    } catch {
      return {};
    }
  }

  async containerInspect(id: string, opts: { size: boolean }): Promise<ContainerInspect> {
    const c = this.containers.get(id);
    if (opts.size) {
      const img = await this.images.get(c.Image);
      if (img?.size !== undefined) this.imageSizes.set(c.Image, img.size);
    }
    const execIds = [...this.execs.values()].filter((e) => e.containerId === c.Id).map((e) => e.id);
    const ns = c.NetworkSettings ?? {};
    return {
      Id: c.Id,
      Created: c.Created,
      Path: c.Path,
      Args: c.Args,
      State: c.State,
      Image: c.Image,
      ResolvConfPath: c.ResolvConfPath,
      HostnamePath: c.HostnamePath,
      HostsPath: c.HostsPath,
      LogPath: c.LogPath,
      Name: c.Name,
      RestartCount: c.RestartCount,
      Driver: c.Driver,
      Platform: c.Platform,
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      ExecIDs: execIds.length ? execIds : null,
      HostConfig: stripNulls(c.HostConfig) as ContainerInspect['HostConfig'],
      GraphDriver: { Name: c.Driver, Data: {} },
      ...(opts.size ? this.sizes(c) : {}),
      Mounts: c.MountPoints.map(mountOut),
      Config: stripNulls(c.Config) as ContainerInspect['Config'],
      NetworkSettings: {
        SandboxID: '',
        SandboxKey: (ns.SandboxKey as string) ?? '',
        Ports: (ns.Ports as ContainerInspect['NetworkSettings']['Ports']) ?? {},
        IPAddress: (ns.IPAddress as string) ?? '',
        IPPrefixLen: (ns.IPPrefixLen as number) ?? 0,
        Gateway: (ns.Gateway as string) ?? '',
        MacAddress: (ns.MacAddress as string) ?? '',
        Networks: (ns.Networks as ContainerInspect['NetworkSettings']['Networks']) ?? {},
      },
    };
  }

  async containerPrune(opts: { filters: Filters }): Promise<ContainerPruneResponse> {
    const deleted: string[] = [];
    for (const c of this.containers.list()) {
      if (c.State.Running || c.State.Status === 'restarting' || c.State.Status === 'paused') continue;
      if (!filterContainer(c, { label: opts.filters.label ?? [] })) continue;
      const until = opts.filters.until?.[0];
      if (until && Date.parse(c.Created) > untilMs(until)) continue;
      await this.removeStopped(c, false);
      deleted.push(c.Id);
    }
    return { ContainersDeleted: deleted, SpaceReclaimed: 0 };
  }

  // ------------------------------------------------------------------------------------------
  // containers: logs, attach, stats

  async containerLogs(
    id: string,
    opts: LogsOptions,
  ): Promise<{ tty: boolean; entries: AsyncIterable<LogEntry> }> {
    const rec = this.containers.get(id);
    if (!rec.LogPath) throw invalid(`configured logging driver does not support reading`);
    const _live = this.liveOf(rec.Id);
    const done =
      rec.State.Running || rec.State.Status === 'restarting' ? this.untilStopped(rec.Id) : Promise.resolve();
    const since = parseLogTime(opts.since);
    const until = parseLogTime(opts.until);
    const maxFiles = Number(rec.HostConfig.LogConfig?.Config?.['max-file'] ?? 1);
    const source = readJsonLog(rec.LogPath, {
      stdout: opts.stdout,
      stderr: opts.stderr,
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
      follow: opts.follow,
      done,
      signal: opts.signal,
      maxFiles,
    });
    async function* entries(): AsyncGenerator<LogEntry> {
      for await (const e of source) yield { stream: e.stream, data: Buffer.from(e.log), time: e.time };
    }
    return { tty: !!rec.Config.Tty, entries: entries() };
  }

  /** Resolves when the container is no longer running and will not be restarted. */
  private untilStopped(id: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const rec = this.containers.find(id);
        if (!rec || (!rec.State.Running && rec.State.Status !== 'restarting')) return resolve();
        const live = this.liveOf(id);
        live.exited.then(() => setTimeout(check, 50));
      };
      check();
    });
  }

  async containerAttach(
    id: string,
    opts: {
      stream: boolean;
      logs: boolean;
      stdin: boolean;
      stdout: boolean;
      stderr: boolean;
      detachKeys?: string;
    },
  ): Promise<StreamSession> {
    const rec = this.containers.get(id);
    const tty = !!rec.Config.Tty;
    const wantStdin = opts.stdin && !!rec.Config.OpenStdin;
    const p: PendingAttach = {
      stdin: wantStdin,
      ...(opts.stdout ? { stdout: new PassThrough() } : {}),
      ...(opts.stderr && !tty ? { stderr: new PassThrough() } : {}),
      ...(wantStdin ? { input: new PassThrough() } : {}),
      closed: false,
    };
    if (opts.logs && rec.LogPath) {
      for await (const e of readJsonLog(rec.LogPath, { stdout: opts.stdout, stderr: opts.stderr })) {
        const target = e.stream === 'stdout' || tty ? p.stdout : p.stderr;
        target?.write(e.log);
      }
    }
    const session: StreamSession = {
      tty,
      ...(p.input ? { stdin: p.input } : {}),
      ...(p.stdout ? { stdout: p.stdout } : {}),
      ...(p.stderr ? { stderr: p.stderr } : {}),
      close: () => {
        this.closePending(p);
        this.live.get(rec.Id)?.pending.delete(p);
      },
    };
    if (!opts.stream) {
      p.stdout?.end();
      p.stderr?.end();
      return session;
    }
    if (rec.State.Running) await this.connectPending(rec, p);
    else if (
      rec.State.Status === 'created' ||
      rec.State.Status === 'exited' ||
      rec.State.Status === 'restarting'
    ) {
      // attach before start (docker run / docker start -a): connected when the task exists
      this.liveOf(rec.Id).pending.add(p);
    } else {
      p.stdout?.end();
      p.stderr?.end();
    }
    return session;
  }

  private async connectPending(rec: ContainerRecord, p: PendingAttach): Promise<void> {
    if (p.closed) return;
    const ta = await this.sup.tasks.attach(this.ns, rec.Id, {
      stdin: p.stdin,
      stdout: !!p.stdout,
      stderr: !!p.stderr,
    });
    p.task = ta;
    if (p.stdout) {
      if (ta.stdout) ta.stdout.pipe(p.stdout);
      else p.stdout.end();
    }
    if (p.stderr) {
      if (ta.stderr) ta.stderr.pipe(p.stderr);
      else p.stderr.end();
    }
    if (p.input && ta.stdin) {
      const stdin = ta.stdin;
      p.input.pipe(stdin, { end: false });
      p.input.on('end', () => {
        // the client closed its stdin: with StdinOnce the container's stdin closes too
        if (rec.Config.StdinOnce) this.sup.tasks.closeStdin(this.ns, rec.Id).catch(() => stdin.end());
      });
    }
  }

  private closePending(p: PendingAttach): void {
    if (p.closed) return;
    p.closed = true;
    try {
      p.task?.close();
    } catch {
      // already gone
    }
    p.stdout?.end();
    p.stderr?.end();
  }

  async containerStats(
    id: string,
    opts: { stream: boolean; oneShot: boolean; signal: AbortSignal },
  ): Promise<AsyncIterable<ContainerStats>> {
    const rec = this.containers.get(id);
    const self = this;
    const empty = (): ContainerStats => {
      const cpu = { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 } };
      return {
        name: rec.Name,
        id: rec.Id,
        read: ZERO_TIME,
        preread: ZERO_TIME,
        cpu_stats: cpu,
        precpu_stats: cpu,
        memory_stats: {},
      };
    };
    async function sample(): Promise<Omit<ContainerStats, 'precpu_stats' | 'preread'>> {
      const cur = self.containers.find(rec.Id);
      if (!cur?.State.Running) {
        const { precpu_stats: _p, preread: _r, ...rest } = empty();
        return rest;
      }
      const s = await self.sup.tasks.stats(self.ns, rec.Id);
      const d = toDockerStats(s, {
        systemCpuUsage: systemCpuNs(),
        onlineCpus: cpus().length,
        hostMemory: totalmem(),
      });
      return {
        name: cur.Name,
        id: cur.Id,
        read: new Date().toISOString(),
        ...(d as unknown as Omit<ContainerStats, 'precpu_stats' | 'preread' | 'read'>),
      };
    }
    async function* gen(): AsyncGenerator<ContainerStats> {
      let prev = empty();
      if (!opts.stream && !opts.oneShot) {
        const first = await sample();
        prev = { ...first, precpu_stats: first.cpu_stats, preread: first.read } as ContainerStats;
        await sleep(1000, opts.signal);
      }
      while (!opts.signal.aborted) {
        const s = await sample();
        const out = { ...s, preread: prev.read, precpu_stats: prev.cpu_stats } as ContainerStats;
        yield out;
        if (!opts.stream) return;
        prev = out;
        await sleep(1000, opts.signal);
      }
    }
    return gen();
  }

  /** Runs `fn` on the container's root filesystem (mounted for the call when it is not running). */
  private rootfsOf<T>(rec: ContainerRecord, fn: (root: string) => Promise<T>, writable = false): Promise<T> {
    return withRootfs(
      {
        writable,
        ...(rec.State.Running ? { pid: rec.State.Pid } : {}),
        mounts: () => this.snapshotter.mounts(rec.SnapshotKey),
        scratch: join(this.execRoot, 'mnt', `${rec.Id}-${randomBytes(4).toString('hex')}`),
      },
      fn,
    );
  }

  async containerExport(id: string): Promise<Readable> {
    const rec = this.containers.get(id);
    const out = new PassThrough();
    // the mount (of a stopped container) lives until the tar has been read
    this.rootfsOf(rec, async (root) => {
      const t = tarOf(root, '.');
      await pipeline(t, out);
    }).catch((e) => out.destroy(e));
    this.emit(rec, 'export');
    return out;
  }

  async containerArchiveStat(id: string, opts: { path: string }): Promise<PathStat> {
    const rec = this.containers.get(id);
    return this.rootfsOf(rec, async (root) => statPath(root, opts.path));
  }

  async containerArchiveGet(
    id: string,
    opts: { path: string },
  ): Promise<{ stat: PathStat; stream: Readable }> {
    const rec = this.containers.get(id);
    let resolveStat!: (s: PathStat) => void;
    let rejectStat!: (e: unknown) => void;
    const statP = new Promise<PathStat>((res, rej) => {
      resolveStat = res;
      rejectStat = rej;
    });
    const out = new PassThrough();
    this.rootfsOf(rec, async (root) => {
      const stat = statPath(root, opts.path);
      resolveStat(stat);
      // docker cp: a trailing "/." copies the directory's content, otherwise the entry by its name
      const contentOnly = opts.path.endsWith('/.');
      const host = resolveIn(root, opts.path, !contentOnly);
      await pipeline(tarOf(host, contentOnly ? '.' : stat.name), out);
    }).catch((e) => {
      rejectStat(e);
      out.destroy(e);
    });
    return { stat: await statP, stream: out };
  }

  async containerArchivePut(
    id: string,
    opts: { path: string; noOverwriteDirNonDir: boolean; copyUIDGID: boolean; body: Readable },
  ): Promise<void> {
    const rec = this.containers.get(id);
    if (rec.HostConfig.ReadonlyRootfs) throw forbidden('container rootfs is marked read-only');
    await this.rootfsOf(
      rec,
      async (root) => {
        const stat = statPath(root, opts.path);
        if ((stat.mode & 0x80000000) === 0)
          throw invalid(`extraction point is not a directory: ${opts.path}`);
        await extractInto(root, opts.path, opts.body);
      },
      true,
    );
  }

  async containerCommit(opts: {
    container: string;
    repo?: string;
    tag?: string;
    comment?: string;
    author?: string;
    pause: boolean;
    changes: string[];
    config?: Record<string, unknown>;
  }): Promise<IdResponse> {
    const rec = this.containers.get(opts.container);
    if (!this.images.commit) throw new ApiError(501, 'docker commit is not available');
    const paused = opts.pause && rec.State.Running && !rec.State.Paused;
    if (paused) await this.sup.tasks.pause(this.ns, rec.Id);
    try {
      const tag = opts.repo ? `${opts.repo}:${opts.tag || 'latest'}` : undefined;
      const img = await this.images.commit({
        parent: rec.Image,
        snapshotKey: rec.SnapshotKey,
        ...(opts.config ? { config: opts.config } : {}),
        ...(opts.changes.length ? { changes: opts.changes } : {}),
        history: {
          createdBy: commandText(rec),
          ...(opts.comment ? { comment: opts.comment } : {}),
          ...(opts.author ? { author: opts.author } : {}),
        },
        ...(tag ? { tags: [tag] } : {}),
        ...(opts.author ? { author: opts.author } : {}),
      });
      this.emit(rec, 'commit', { comment: opts.comment ?? '' });
      return { Id: img.id };
    } finally {
      if (paused) await this.sup.tasks.resume(this.ns, rec.Id).catch(() => {});
    }
  }

  // ------------------------------------------------------------------------------------------
  // exec

  async execCreate(containerId: string, body: ExecCreate): Promise<ExecCreateResponse> {
    const rec = this.containers.get(containerId);
    if (!rec.State.Running) throw conflict(`container ${rec.Id} is not running`);
    if (rec.State.Paused) throw conflict(`container ${rec.Id} is paused, unpause the container before exec`);
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, {
      id,
      containerId: rec.Id,
      config: body,
      running: false,
      exitCode: null,
      pid: 0,
      started: false,
    });
    this.emit(rec, `exec_create: ${body.Cmd.join(' ')}`, { execID: id });
    return { Id: id };
  }

  private execOf(execId: string): ExecRecord {
    const ex = this.execs.get(execId);
    if (!ex) throw notFound(`No such exec instance: ${execId}`);
    return ex;
  }

  async execStart(
    execId: string,
    opts: { detach: boolean; tty: boolean; consoleSize?: [number, number] },
  ): Promise<StreamSession | undefined> {
    const ex = this.execOf(execId);
    if (ex.started) throw conflict(`exec ${execId} has already been started`);
    const rec = this.containers.get(ex.containerId);
    if (!rec.State.Running) throw conflict(`container ${rec.Id} is not running`);
    ex.started = true;
    const c = ex.config;
    const tty = opts.tty || !!c.Tty;
    const mounts = this.snapshotter.mounts(rec.SnapshotKey);
    const user = c.User ? resolveUser(rootfsReader(mounts), c.User) : undefined;
    const caps = containerCapabilities({
      privileged: c.Privileged || rec.HostConfig.Privileged,
      capAdd: rec.HostConfig.CapAdd,
      capDrop: rec.HostConfig.CapDrop,
    });
    const env = [...(rec.Config.Env ?? [])];
    for (const e of c.Env ?? []) {
      const k = e.split('=')[0];
      const i = env.findIndex((x) => x.split('=')[0] === k);
      if (i >= 0) env[i] = e;
      else env.push(e);
    }
    if (!env.some((e) => e.startsWith('PATH=')))
      env.unshift('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    if (tty && !env.some((e) => e.startsWith('TERM='))) env.push('TERM=xterm');
    const process = {
      args: c.Cmd,
      env,
      cwd: c.WorkingDir || rec.Config.WorkingDir || '/',
      terminal: tty,
      ...(user
        ? {
            user: {
              uid: user.uid,
              gid: user.gid,
              ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}),
            },
          }
        : {}),
      ...(c.Privileged ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
    };
    const wantStdin = !!c.AttachStdin;
    await this.sup.tasks.exec(this.ns, rec.Id, execId, { process, terminal: tty, stdin: wantStdin });
    let session: StreamSession | undefined;
    if (!opts.detach) {
      const ta = await this.sup.tasks.attach(this.ns, rec.Id, {
        execId,
        stdin: wantStdin,
        stdout: c.AttachStdout !== false,
        stderr: c.AttachStderr !== false && !tty,
      });
      let input: PassThrough | undefined;
      if (wantStdin && ta.stdin) {
        input = new PassThrough();
        const stdin = ta.stdin;
        input.pipe(stdin, { end: false });
        input.on('end', () => {
          this.sup.tasks.closeStdin(this.ns, rec.Id, { execId }).catch(() => stdin.end());
        });
      }
      session = {
        tty,
        ...(input ? { stdin: input } : {}),
        ...(ta.stdout ? { stdout: ta.stdout } : {}),
        ...(ta.stderr ? { stderr: ta.stderr } : {}),
        close: () => ta.close(),
      };
      const outputs = [ta.stdout, ta.stderr].filter((o) => o !== undefined);
      void Promise.all(outputs.map((o) => finished(o).catch(() => {}))).then(() => {
        ex.outputEnded = true;
      });
    }
    const info = await this.sup.tasks.start(this.ns, rec.Id, { execId });
    ex.running = true;
    ex.pid = info.pid;
    this.emit(rec, `exec_start: ${c.Cmd.join(' ')}`, { execID: execId });
    ex.exited = this.sup.tasks
      .wait(this.ns, rec.Id, { execId })
      .then((st) => {
        ex.exitCode = st.exitCode;
      })
      .catch(() => {
        ex.exitCode = 126;
      })
      .finally(() => {
        ex.running = false;
        this.sup.tasks.deleteProcess(this.ns, rec.Id, execId).catch(() => {});
        this.emit(rec, 'exec_die', { execID: execId, exitCode: String(ex.exitCode ?? -1) });
      });
    return session;
  }

  async execInspect(execId: string): Promise<ExecInspect> {
    const ex = this.execOf(execId);
    // The exit comes on another connection a moment after the output ends, and the CLI asks right then:
    // once the output has ended, wait for the exit itself (capped: a process it left behind may hold on).
    if (ex.started && ex.running) {
      if (ex.outputEnded && ex.exited) await Promise.race([ex.exited, sleep(10_000)]);
      else for (let i = 0; i < 20 && ex.running; i++) await sleep(25);
    }
    return {
      CanRemove: !ex.running,
      DetachKeys: ex.config.DetachKeys ?? '',
      ID: ex.id,
      Running: ex.running,
      ExitCode: ex.exitCode,
      ProcessConfig: {
        privileged: !!ex.config.Privileged,
        user: ex.config.User ?? '',
        tty: !!ex.config.Tty,
        entrypoint: ex.config.Cmd[0] ?? '',
        arguments: ex.config.Cmd.slice(1),
      },
      OpenStdin: !!ex.config.AttachStdin,
      OpenStderr: !!ex.config.AttachStderr,
      OpenStdout: !!ex.config.AttachStdout,
      ContainerID: ex.containerId,
      Pid: ex.pid,
    };
  }

  async execResize(execId: string, opts: { height: number; width: number }): Promise<void> {
    const ex = this.execOf(execId);
    await this.sup.tasks
      .resize(this.ns, ex.containerId, { cols: opts.width, rows: opts.height }, { execId })
      .catch(() => {});
  }

  // ------------------------------------------------------------------------------------------
  // images (the image store does the work; the daemon adds Docker's shapes and in-use checks)

  private async imageOf(name: string): Promise<ImageRecordLike> {
    const img = await this.images.get(name);
    if (!img) throw notFound(`No such image: ${imageRefOf(name)}`);
    return img;
  }

  async imageList(opts: ImageListQuery): Promise<ImageSummary[]> {
    const list = await this.images.list({ filters: opts.filters ?? {} });
    const uses = new Map<string, number>();
    for (const c of this.containers.list()) uses.set(c.Image, (uses.get(c.Image) ?? 0) + 1);
    return list.map((img) => ({
      Id: img.id,
      ParentId: '',
      RepoTags: img.repoTags,
      RepoDigests: img.repoDigests ?? [],
      Created: img.created ? Math.floor(Date.parse(img.created) / 1000) : 0,
      Size: img.size ?? 0,
      SharedSize: -1,
      Labels: img.config.config?.Labels ?? {},
      Containers: uses.get(img.id) ?? -1,
    }));
  }

  async imageInspect(name: string): Promise<ImageInspect> {
    const img = await this.imageOf(name);
    if (this.images.inspect) return (await this.images.inspect(img.id)) as ImageInspect;
    throw new ApiError(501, 'image inspect is not available');
  }

  async imageHistory(name: string): Promise<ImageHistoryItem[]> {
    const img = await this.imageOf(name);
    if (!this.images.history) throw new ApiError(501, 'image history is not available');
    return (await this.images.history(img.id)) as ImageHistoryItem[];
  }

  async *imagePull(opts: {
    fromImage: string;
    tag?: string;
    platform?: string;
    auth?: unknown;
    signal: AbortSignal;
  }): AsyncIterable<JSONMessage> {
    const ref = opts.tag && !opts.fromImage.includes('@') ? `${opts.fromImage}:${opts.tag}` : opts.fromImage;
    const queue: JSONMessage[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    let result: ImageRecordLike | undefined;
    const push = (m: JSONMessage) => {
      queue.push(m);
      wake?.();
    };
    push({
      status: `Pulling from ${ref.split(':')[0]}`,
      id: ref.includes(':') ? ref.split(':').pop()! : 'latest',
    });
    this.images
      .pull(ref, {
        ...(opts.platform ? { platform: parsePlatform(opts.platform) } : {}),
        signal: opts.signal,
        onProgress: (e: unknown) => push(progressMessage(e)),
      })
      .then((r) => {
        result = r;
      })
      .catch((e) => {
        failure = e;
      })
      .finally(() => {
        finished = true;
        wake?.();
      });
    while (true) {
      const m = queue.shift();
      if (m) {
        yield m;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
    }
    if (failure) {
      const status = statusOf(failure);
      throw status === 404
        ? notFound(`pull access denied for ${ref}, repository does not exist or may require 'docker login'`)
        : failure;
    }
    this.bus.emit('image', 'pull', ref, { name: ref });
    yield { status: `Digest: ${result?.repoDigests?.[0]?.split('@')[1] ?? result?.id ?? ''}` };
    yield { status: `Status: Downloaded newer image for ${ref}` };
  }

  async *imageImport(
    opts: ImageCreateQuery & { fromSrc: string; body: Readable; signal: AbortSignal },
  ): AsyncIterable<JSONMessage> {
    if (opts.fromSrc !== '-')
      throw invalid('importing from a URL is not supported by berth (use - and send the tar)');
    const ref = opts.repo ? (opts.tag ? `${opts.repo}:${opts.tag}` : opts.repo) : undefined;
    const img = await this.images.importRootfs(opts.body, {
      ...(ref ? { ref } : {}),
      ...(opts.changes?.length ? { changes: opts.changes } : {}),
      ...(opts.message ? { message: opts.message } : {}),
    });
    this.bus.emit('image', 'import', img.id, ref ? { name: ref } : {});
    yield { status: img.id };
  }

  async *imagePush(
    name: string,
    opts: { tag?: string; auth?: unknown; signal: AbortSignal },
  ): AsyncIterable<JSONMessage> {
    if (!this.images.push) throw new ApiError(501, 'push is not available');
    const ref = opts.tag ? `${name}:${opts.tag}` : name;
    await this.imageOf(ref);
    const messages: JSONMessage[] = [];
    await this.images.push(ref, {
      signal: opts.signal,
      ...(opts.auth ? { auth: opts.auth } : {}),
      onProgress: (e) => messages.push(progressMessage(e)),
    });
    yield* messages;
    this.bus.emit('image', 'push', ref, { name: ref });
  }

  async imageTag(name: string, opts: { repo: string; tag?: string }): Promise<void> {
    if (!this.images.tag) throw new ApiError(501, 'tag is not available');
    const img = await this.imageOf(name);
    const target = `${opts.repo}:${opts.tag || 'latest'}`;
    await this.images.tag(img.id, target);
    this.bus.emit('image', 'tag', img.id, { name: target });
  }

  async imageRemove(
    name: string,
    opts: { force: boolean; noPrune: boolean },
  ): Promise<ImageDeleteResponseItem[]> {
    if (!this.images.remove) throw new ApiError(501, 'image remove is not available');
    const img = await this.imageOf(name);
    const users = this.containers.list().filter((c) => c.Image === img.id);
    const byId = name === img.id || img.id.startsWith(`sha256:${name}`) || img.id.slice(7).startsWith(name);
    if (users.length > 0 && !opts.force && (byId || img.repoTags.length <= 1)) {
      throw conflict(
        `conflict: unable to delete ${byId ? shortId(img.id.slice(7)) : name} (must be forced) - image is being used by stopped container ${shortId(users[0]!.Id)}`,
      );
    }
    const out = (await this.images.remove(name, {
      force: opts.force,
      noPrune: opts.noPrune,
      inUse: (id) => this.containers.list().some((c) => c.Image === id),
    })) as ImageDeleteResponseItem[];
    for (const item of out) {
      const it = item as { Untagged?: string; Deleted?: string };
      if (it.Untagged) this.bus.emit('image', 'untag', img.id, { name: it.Untagged });
      if (it.Deleted) this.bus.emit('image', 'delete', it.Deleted, {});
    }
    return out;
  }

  async imagePrune(_opts: { filters: Filters }): Promise<ImagePruneResponse> {
    const deleted: ImageDeleteResponseItem[] = [];
    if (this.images.remove) {
      for (const img of await this.images.list()) {
        if (img.repoTags.length > 0) continue;
        if (this.containers.list().some((c) => c.Image === img.id)) continue;
        deleted.push(...((await this.images.remove(img.id, {})) as ImageDeleteResponseItem[]));
      }
    }
    return { ImagesDeleted: deleted, SpaceReclaimed: 0 } as ImagePruneResponse;
  }

  async imageSave(opts: { names: string[] }): Promise<Readable> {
    if (!this.images.save) throw new ApiError(501, 'image save is not available');
    for (const n of opts.names) await this.imageOf(n);
    const out = new PassThrough();
    this.images.save(opts.names, out).catch((e) => out.destroy(e));
    return out;
  }

  async *imageLoad(opts: {
    body: Readable;
    quiet: boolean;
    signal: AbortSignal;
  }): AsyncIterable<JSONMessage> {
    if (!this.images.load) throw new ApiError(501, 'image load is not available');
    const loaded = await this.images.load(opts.body);
    const names = loaded.images.flatMap((i) => (i.names.length ? i.names : [i.id]));
    for (const n of names) {
      this.bus.emit('image', 'load', n, { name: n });
      yield { stream: n.startsWith('sha256:') ? `Loaded image ID: ${n}\n` : `Loaded image: ${n}\n` };
    }
  }

  // ------------------------------------------------------------------------------------------
  // volumes

  private volumeUsers(name: string): string[] {
    return this.containers
      .list()
      .filter((c) => c.MountPoints.some((m) => m.Type === 'volume' && m.Name === name))
      .map((c) => c.Id);
  }

  async volumeCreate(body: VolumeCreate): Promise<Volume> {
    const { volume, created } = this.volumes.create({
      name: body.Name ?? null,
      driver: body.Driver ?? null,
      labels: body.Labels ?? null,
      options: body.DriverOpts ?? null,
    });
    if (created) this.bus.emit('volume', 'create', volume.Name, { driver: 'local' });
    return volume;
  }

  async volumeList(opts: { filters: Filters }): Promise<VolumeListResponse> {
    const f = opts.filters;
    const out: Volume[] = [];
    for (const rec of this.volumes.list()) {
      if (f.name?.length && !f.name.some((n) => rec.Name.includes(n))) continue;
      if (f.driver?.length && !f.driver.includes(rec.Driver)) continue;
      if (f.dangling?.length) {
        const dangling = this.volumeUsers(rec.Name).length === 0;
        if (f.dangling.some((d) => (d === 'true' || d === '1') !== dangling)) continue;
      }
      if (!labelsMatch(rec.Labels, f.label ?? [])) continue;
      out.push(this.volumes.info(rec));
    }
    return { Volumes: out, Warnings: [] };
  }

  async volumeInspect(name: string): Promise<Volume> {
    return this.volumes.get(name);
  }

  async volumeRemove(name: string, opts: { force: boolean }): Promise<void> {
    const users = this.volumeUsers(name);
    this.volumes.remove(name, users, opts.force);
    this.bus.emit('volume', 'destroy', name, { driver: 'local' });
  }

  async volumePrune(opts: { filters: Filters }): Promise<VolumePruneResponse> {
    const deleted: string[] = [];
    const all = opts.filters.all?.some((a) => a === 'true' || a === '1');
    for (const rec of this.volumes.list()) {
      if (this.volumeUsers(rec.Name).length > 0) continue;
      // Docker (API >= 1.42) prunes only anonymous volumes unless all=true
      if (!all && !rec.Anonymous) continue;
      if (!labelsMatch(rec.Labels, opts.filters.label ?? [])) continue;
      this.volumes.remove(rec.Name, [], true);
      deleted.push(rec.Name);
    }
    return { VolumesDeleted: deleted, SpaceReclaimed: 0 };
  }

  // ------------------------------------------------------------------------------------------
  // networks (the network manager when there is one; otherwise Docker's three fixed networks)

  private builtinNetworks(): Network[] {
    return ['bridge', 'host', 'none'].map(
      (name) =>
        ({
          Name: name,
          Id: createHashHex(name),
          Created: new Date(0).toISOString(),
          Scope: 'local',
          Driver: name === 'bridge' ? 'bridge' : name === 'host' ? 'host' : 'null',
          EnableIPv4: true,
          EnableIPv6: false,
          IPAM: { Driver: 'default', Options: null, Config: [] },
          Internal: false,
          Attachable: false,
          Ingress: false,
          ConfigFrom: { Network: '' },
          ConfigOnly: false,
          Containers: {},
          Options: {},
          Labels: {},
        }) as unknown as Network,
    );
  }

  async networkList(opts: { filters: Filters }): Promise<Network[]> {
    if (this.network) return (await this.network.list({ filters: opts.filters })) as Network[];
    return this.builtinNetworks().filter(
      (n) => !opts.filters.name?.length || opts.filters.name.some((x) => n.Name.includes(x)),
    );
  }

  async networkInspect(id: string, _opts: { verbose: boolean; scope?: string }): Promise<Network> {
    if (this.network) return (await this.network.inspect(id)) as Network;
    const n = this.builtinNetworks().find((x) => x.Name === id || x.Id.startsWith(id));
    if (!n) throw notFound(`network ${id} not found`);
    return n;
  }

  async networkCreate(body: Parameters<Backend['networkCreate']>[0]): Promise<NetworkCreateResponse> {
    if (!this.network) throw new ApiError(501, 'berthd was started without a network manager');
    const r = (await this.network.create(body)) as { Id?: string; id?: string };
    const id = r.Id ?? r.id ?? '';
    this.bus.emit('network', 'create', id, { name: (body as { Name: string }).Name, type: 'bridge' });
    return { Id: id, Warning: '' } as NetworkCreateResponse;
  }

  async networkRemove(id: string): Promise<void> {
    if (!this.network) throw new ApiError(501, 'berthd was started without a network manager');
    await this.network.remove(id);
    this.bus.emit('network', 'destroy', id, {});
  }

  async networkConnect(
    id: string,
    body: { Container: string; EndpointConfig?: { Aliases?: string[] } },
  ): Promise<void> {
    if (!this.network) throw new ApiError(501, 'berthd was started without a network manager');
    const net = (await this.network.inspect(id)) as { Name: string };
    const rec = this.containers.get(body.Container);
    const mode = rec.HostConfig.NetworkMode || 'default';
    // libnetwork's refusals (runconfig.ErrConflictNoNetwork, ErrConflictSharedNetwork), word for word
    if (this.networkOf(mode) === 'none')
      throw invalid(
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
    if (mode === 'host' || mode.startsWith('container:'))
      throw invalid(
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    const primary = this.networkOf(mode);
    if (primary === net.Name || rec.ExtraNetworks?.includes(net.Name))
      throw conflict(`endpoint with name ${rec.Name.slice(1)} already exists in network ${net.Name}`);
    const sandbox = rec.NetworkSettings?.SandboxKey as string | undefined;
    if (rec.State.Running && sandbox) {
      const r = await this.network.attach({
        containerId: rec.Id,
        netnsPath: sandbox,
        network: net.Name,
        hostname: rec.Config.Hostname ?? shortId(rec.Id),
        ...(body.EndpointConfig?.Aliases ? { aliases: body.EndpointConfig.Aliases } : {}),
      });
      const nets = (rec.NetworkSettings?.Networks ?? {}) as Record<string, unknown>;
      nets[net.Name] = endpointOf(net.Name, r);
      rec.NetworkSettings = { ...(rec.NetworkSettings ?? {}), Networks: nets };
    }
    rec.ExtraNetworks = [...(rec.ExtraNetworks ?? []), net.Name];
    this.save(rec);
    this.bus.emit('network', 'connect', id, { container: rec.Id, name: net.Name, type: 'bridge' });
  }

  async networkDisconnect(id: string, body: { Container: string; Force?: boolean }): Promise<void> {
    if (!this.network) throw new ApiError(501, 'berthd was started without a network manager');
    const net = (await this.network.inspect(id)) as { Name: string };
    const rec = this.containers.get(body.Container);
    const mode = rec.HostConfig.NetworkMode || 'default';
    const primary = this.networkOf(mode);
    const extra = rec.ExtraNetworks?.includes(net.Name) ?? false;
    if (!extra && primary !== net.Name)
      throw notFound(`container ${shortId(rec.Id)} is not connected to network ${net.Name}`);
    if (rec.State.Running) await this.network.detach(rec.Id, net.Name);
    const nets = (rec.NetworkSettings?.Networks ?? {}) as Record<string, unknown>;
    delete nets[net.Name];
    if (extra) rec.ExtraNetworks = rec.ExtraNetworks!.filter((n) => n !== net.Name);
    else rec.HostConfig.NetworkMode = 'none';
    this.save(rec);
    this.bus.emit('network', 'disconnect', id, { container: rec.Id, name: net.Name, type: 'bridge' });
  }

  async networkPrune(opts: { filters: Filters }): Promise<NetworkPruneResponse> {
    if (!this.network?.prune) return { NetworksDeleted: [] } as NetworkPruneResponse;
    return (await this.network.prune(opts)) as NetworkPruneResponse;
  }
}

// ------------------------------------------------------------------------------------------------
// helpers

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // best effort during rollback
  }
}

function createHashHex(s: string): string {
  return createHash('sha256').update(`berth-network-${s}`).digest('hex');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(r, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      r();
    });
  });
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(s.trim());
  if (!m) throw invalid(`invalid log max-size: ${s}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

function stripNulls<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o, (_k, v) => (v === null ? undefined : v)));
}

/** `--network-alias`es from the create body's NetworkingConfig, by network. */
function networkAliases(net: ContainerCreate['NetworkingConfig']): Pick<ContainerRecord, 'NetworkAliases'> {
  const out: Record<string, string[]> = {};
  for (const [name, ep] of Object.entries(net?.EndpointsConfig ?? {}))
    if (ep?.Aliases?.length) out[name] = [...ep.Aliases];
  return Object.keys(out).length ? { NetworkAliases: out } : {};
}

/** Resolves when every stream has ended, or after `capMs` (a process it left behind may hold them open). */
async function streamsEnded(streams: Array<NodeJS.ReadableStream | undefined>, capMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((r) => {
    timer = setTimeout(r, capMs);
  });
  const all = Promise.all(streams.map((s) => (s ? finished(s).catch(() => {}) : undefined)));
  await Promise.race([all, cap]);
  clearTimeout(timer);
}
