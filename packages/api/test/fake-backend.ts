/**
 * An in-memory Backend for the server tests. "Containers" run a tiny command interpreter instead of a
 * process: echo ARGS, cat (stdin → stdout), false, sh -c "exit N", sleep (until killed), err TEXT
 * (to stderr). Enough to drive the real docker CLI through create/attach/wait/start and exec.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import {
  ApiError,
  type Backend,
  type ContainerCreate,
  type ContainerInspect,
  type ContainerStats,
  type ContainerSummary,
  type ContainerWaitResponse,
  type EventMessage,
  type ExecCreate,
  type JSONMessage,
  type LogEntry,
  type Network,
  type StreamSession,
  type Volume,
  type WaitCondition,
} from '../src/index.js';

/** docker.io/library/alpine:3 → alpine:3; a missing tag is latest. */
function norm(ref: string): string {
  const short = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return /:[^/]+$/.test(short) || short.includes('@') ? short : `${short}:latest`;
}

interface Attached {
  stdout: PassThrough;
  stderr?: PassThrough;
  stdin: boolean;
}

interface FakeContainer {
  id: string;
  name: string;
  body: ContainerCreate;
  created: string;
  status: 'created' | 'running' | 'exited' | 'paused';
  exitCode: number;
  attached: Set<Attached>;
  /** stdin of the running "process" */
  stdin?: PassThrough;
  logs: LogEntry[];
  waiters: { condition: WaitCondition; resolve: (r: ContainerWaitResponse) => void }[];
  stop?: () => void;
}

interface FakeExec {
  id: string;
  containerId: string;
  body: ExecCreate;
  running: boolean;
  exitCode: number | null;
}

export class FakeBackend implements Backend {
  readonly containers = new Map<string, FakeContainer>();
  readonly execs = new Map<string, FakeExec>();
  readonly volumes = new Map<string, Volume>();
  readonly networks = new Map<string, Network>();
  readonly images = new Set<string>(['busybox:latest']);
  readonly eventLog: EventMessage[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  lastCreate?: ContainerCreate;
  lastPut?: Buffer;

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  /** Resolves once `method` has been recorded (tests use it instead of sleeping). */
  async called(method: string): Promise<void> {
    while (!this.calls.some((c) => c.method === method)) await new Promise((r) => setTimeout(r, 5));
  }

  private find(idOrName: string): FakeContainer {
    const name = idOrName.replace(/^\//, '');
    for (const c of this.containers.values())
      if (c.id === name || c.name === name || c.id.startsWith(name)) return c;
    throw new ApiError(404, `No such container: ${idOrName}`);
  }

  private emit(c: FakeContainer, stream: 'stdout' | 'stderr', text: string) {
    const data = Buffer.from(text);
    c.logs.push({ stream, data, time: new Date().toISOString() });
    for (const a of c.attached) {
      if (stream === 'stdout' || c.body.Tty) a.stdout.write(data);
      else a.stderr?.write(data);
    }
  }

  private exit(c: FakeContainer, code: number) {
    if (c.status !== 'running' && c.status !== 'paused') return;
    c.status = 'exited';
    c.exitCode = code;
    for (const a of c.attached) {
      a.stdout.end();
      a.stderr?.end();
    }
    c.attached.clear();
    const waiters = c.waiters.filter((w) => w.condition !== 'removed');
    c.waiters = c.waiters.filter((w) => w.condition === 'removed');
    for (const w of waiters) w.resolve({ StatusCode: code });
    this.pushEvent('container', 'die', c.id);
    if (c.body.HostConfig?.AutoRemove) this.removeNow(c);
  }

  private removeNow(c: FakeContainer) {
    this.containers.delete(c.id);
    for (const w of c.waiters) w.resolve({ StatusCode: c.exitCode });
    c.waiters = [];
  }

  private pushEvent(type: EventMessage['Type'], action: string, id: string) {
    const now = Date.now();
    this.eventLog.push({
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: {} },
      scope: 'local',
      time: Math.floor(now / 1000),
      timeNano: now * 1e6,
    });
  }

  /** Run the pretend command of argv, writing with `out`, reading `stdin`; resolves the exit code. */
  private run(
    argv: string[],
    out: (s: 'stdout' | 'stderr', t: string) => void,
    stdin: PassThrough | undefined,
    onStop: (stop: () => void) => void,
  ): Promise<number> {
    const [cmd, ...args] = argv;
    return new Promise((resolve) => {
      setImmediate(() => {
        switch (cmd) {
          case 'echo':
            out('stdout', `${args.join(' ')}\n`);
            return resolve(0);
          case 'err':
            out('stderr', `${args.join(' ')}\n`);
            return resolve(0);
          case 'false':
            return resolve(1);
          case 'sh':
            return resolve(Number(/exit (\d+)/.exec(args.join(' '))?.[1] ?? 0));
          case 'cat':
            if (!stdin) return resolve(0);
            stdin.on('data', (d: Buffer) => out('stdout', d.toString()));
            stdin.on('end', () => resolve(0));
            onStop(() => resolve(137));
            return;
          case 'sleep':
            onStop(() => resolve(137));
            return;
          default:
            out('stderr', `${cmd}: not found\n`);
            return resolve(127);
        }
      });
    });
  }

  async version() {
    return {
      Version: '0.0.0-fake',
      GitCommit: 'fake',
      GoVersion: 'node',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: '6.0',
      BuildTime: new Date(0).toISOString(),
      Components: [{ Name: 'Engine', Version: '0.0.0-fake' }],
      Platform: { Name: 'berth (fake)' },
    };
  }

  async info() {
    return {
      ID: 'fake',
      Containers: this.containers.size,
      ContainersRunning: 0,
      ContainersPaused: 0,
      ContainersStopped: 0,
      Images: this.images.size,
      Driver: 'overlay',
      DriverStatus: [],
      DockerRootDir: '/tmp/fake',
      Plugins: { Volume: ['local'], Network: ['bridge'], Authorization: null, Log: ['json-file'] },
      MemoryLimit: true,
      SwapLimit: true,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      OomKillDisable: true,
      IPv4Forwarding: true,
      Debug: false,
      NFd: 1,
      NGoroutines: 1,
      SystemTime: new Date().toISOString(),
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
      NEventsListener: 0,
      KernelVersion: '6.0',
      OperatingSystem: 'fake',
      OSVersion: '1',
      OSType: 'linux',
      Architecture: 'x86_64',
      NCPU: 2,
      MemTotal: 1 << 30,
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: null,
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      Name: 'fake',
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: '0.0.0-fake',
      Runtimes: { berth: { path: 'berth' } },
      DefaultRuntime: 'berth',
      Swarm: { LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false, Error: '' },
      LiveRestoreEnabled: false,
      Isolation: '',
      InitBinary: '',
      SecurityOptions: [],
      Warnings: null,
    };
  }

  async df() {
    return { LayersSize: 0, Images: [], Containers: [], Volumes: [...this.volumes.values()], BuildCache: [] };
  }

  async events(opts: { since?: number; until?: number; signal: AbortSignal }) {
    const list = this.eventLog;
    const signal = opts.signal;
    signal.addEventListener('abort', () => this.record('eventsAborted'), { once: true });
    return (async function* () {
      for (const e of list) if (opts.since === undefined || e.time >= opts.since) yield e;
      if (opts.until !== undefined) return;
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    })();
  }

  async containerCreate(opts: { name?: string; body: ContainerCreate }) {
    this.record('containerCreate', opts);
    this.lastCreate = opts.body;
    const image = opts.body.Image ?? '';
    if (!this.images.has(norm(image))) throw new ApiError(404, `No such image: ${image}`);
    const id = randomBytes(32).toString('hex');
    const name = opts.name?.replace(/^\//, '') ?? `fake_${id.slice(0, 6)}`;
    for (const c of this.containers.values())
      if (c.name === name)
        throw new ApiError(409, `Conflict. The container name "/${name}" is already in use`);
    this.containers.set(id, {
      id,
      name,
      body: opts.body,
      created: new Date().toISOString(),
      status: 'created',
      exitCode: 0,
      attached: new Set(),
      logs: [],
      waiters: [],
      stdin: opts.body.OpenStdin ? new PassThrough() : undefined,
    });
    this.pushEvent('container', 'create', id);
    return { Id: id, Warnings: [] };
  }

  async containerList(opts: {
    all: boolean;
    filters: Record<string, string[]>;
  }): Promise<ContainerSummary[]> {
    return [...this.containers.values()]
      .filter((c) => opts.all || c.status === 'running')
      .map((c) => ({
        Id: c.id,
        Names: [`/${c.name}`],
        Image: c.body.Image ?? '',
        ImageID: 'sha256:fake',
        Command: (c.body.Cmd ?? []).join(' '),
        Created: Math.floor(Date.parse(c.created) / 1000),
        Ports: [],
        Labels: c.body.Labels ?? {},
        State: c.status,
        Status: c.status === 'running' ? 'Up 1 second' : `Exited (${c.exitCode}) 1 second ago`,
        HostConfig: { NetworkMode: 'default' },
        NetworkSettings: { Networks: {} },
        Mounts: [],
      }));
  }

  async containerInspect(id: string): Promise<ContainerInspect> {
    const c = this.find(id);
    return {
      Id: c.id,
      Created: c.created,
      Path: c.body.Cmd?.[0] ?? '',
      Args: c.body.Cmd?.slice(1) ?? [],
      State: {
        Status: c.status,
        Running: c.status === 'running',
        Paused: c.status === 'paused',
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: c.status === 'running' ? 4242 : 0,
        ExitCode: c.exitCode,
        Error: '',
        StartedAt: c.created,
        FinishedAt: '0001-01-01T00:00:00Z',
      },
      Image: 'sha256:fake',
      ResolvConfPath: '',
      HostnamePath: '',
      HostsPath: '',
      LogPath: '',
      Name: `/${c.name}`,
      RestartCount: 0,
      Driver: 'overlay',
      Platform: 'linux',
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      ExecIDs: null,
      HostConfig: c.body.HostConfig ?? {},
      GraphDriver: { Name: 'overlay', Data: {} },
      Mounts: [],
      Config: c.body,
      NetworkSettings: { SandboxID: '', SandboxKey: '', Ports: {}, Networks: {} },
    };
  }

  async containerStart(id: string) {
    this.record('containerStart', id);
    const c = this.find(id);
    if (c.status === 'running') throw new ApiError(304, 'container already started');
    c.status = 'running';
    if (c.body.OpenStdin && !c.stdin) c.stdin = new PassThrough();
    this.pushEvent('container', 'start', c.id);
    const argv = [...(c.body.Entrypoint ?? []), ...(c.body.Cmd ?? [])];
    void this.run(
      argv,
      (s, t) => this.emit(c, s, t),
      c.stdin,
      (stop) => {
        c.stop = stop;
      },
    ).then((code) => this.exit(c, code));
  }

  async containerStop(id: string) {
    const c = this.find(id);
    if (c.status !== 'running') throw new ApiError(304, 'container already stopped');
    c.stop?.();
  }

  async containerRestart(id: string) {
    const c = this.find(id);
    if (c.status === 'running') {
      c.stop?.();
      await new Promise((r) => setImmediate(r));
    }
    await this.containerStart(id);
  }

  async containerKill(id: string, opts: { signal?: string }) {
    this.record('containerKill', id, opts);
    const c = this.find(id);
    if (c.status !== 'running') throw new ApiError(409, `Container ${c.id} is not running`);
    c.stop?.();
  }

  async containerPause(id: string) {
    const c = this.find(id);
    if (c.status !== 'running') throw new ApiError(409, `Container ${c.id} is not running`);
    c.status = 'paused';
  }

  async containerUnpause(id: string) {
    const c = this.find(id);
    if (c.status !== 'paused') throw new ApiError(409, `Container ${c.id} is not paused`);
    c.status = 'running';
  }

  async containerWait(id: string, opts: { condition: WaitCondition; signal: AbortSignal }) {
    this.record('containerWait', id, opts.condition);
    opts.signal.addEventListener('abort', () => this.record('waitAborted'), { once: true });
    const c = this.find(id);
    if (opts.condition === 'not-running' && c.status !== 'running' && c.status !== 'paused')
      return { result: Promise.resolve({ StatusCode: c.exitCode }) };
    return {
      result: new Promise<ContainerWaitResponse>((resolve) => {
        c.waiters.push({ condition: opts.condition, resolve });
      }),
    };
  }

  async containerRemove(id: string, opts: { force: boolean }) {
    this.record('containerRemove', id, opts);
    const c = this.find(id);
    if (c.status === 'running' && !opts.force)
      throw new ApiError(
        409,
        `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`,
      );
    c.stop?.();
    this.removeNow(c);
  }

  async containerRename(id: string, opts: { name: string }) {
    this.find(id).name = opts.name;
  }

  async containerUpdate(id: string) {
    this.find(id);
    return { Warnings: [] };
  }

  async containerResize(id: string, opts: { height: number; width: number }) {
    this.record('containerResize', id, opts);
    this.find(id);
  }

  async containerTop(id: string) {
    this.find(id);
    return { Titles: ['PID', 'CMD'], Processes: [['1', 'sleep']] };
  }

  async containerChanges(id: string) {
    this.find(id);
    return [{ Path: '/tmp', Kind: 0 as const }];
  }

  async containerLogs(id: string, opts: { stdout: boolean; stderr: boolean; tail?: number }) {
    const c = this.find(id);
    let entries = c.logs.filter((e) => (e.stream === 'stdout' ? opts.stdout : opts.stderr));
    if (opts.tail !== undefined) entries = entries.slice(-opts.tail);
    return {
      tty: c.body.Tty ?? false,
      entries: (async function* () {
        yield* entries;
      })(),
    };
  }

  async containerAttach(
    id: string,
    opts: { stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<StreamSession> {
    this.record('containerAttach', id, opts);
    const c = this.find(id);
    const tty = c.body.Tty ?? false;
    const a: Attached = {
      stdout: new PassThrough(),
      stderr: tty ? undefined : new PassThrough(),
      stdin: opts.stdin,
    };
    c.attached.add(a);
    let stdin: PassThrough | undefined;
    if (opts.stdin) {
      // Forward to the container's stdin once it runs (attach happens before start).
      stdin = new PassThrough();
      stdin.on('data', (d: Buffer) => c.stdin?.write(d));
      stdin.on('end', () => {
        if (c.body.StdinOnce) c.stdin?.end();
      });
    }
    return {
      tty,
      stdin,
      stdout: a.stdout,
      stderr: a.stderr,
      close: () => {
        c.attached.delete(a);
      },
    };
  }

  async containerStats(id: string, opts: { stream: boolean }): Promise<AsyncIterable<ContainerStats>> {
    const c = this.find(id);
    const sample = (n: number): ContainerStats => ({
      name: `/${c.name}`,
      id: c.id,
      read: new Date().toISOString(),
      preread: new Date().toISOString(),
      cpu_stats: { cpu_usage: { total_usage: n, usage_in_kernelmode: 0, usage_in_usermode: n } },
      precpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 } },
      memory_stats: { usage: 1024 },
    });
    return (async function* () {
      for (let i = 1; i <= (opts.stream ? 3 : 1); i++) yield sample(i);
    })();
  }

  async containerExport(id: string) {
    this.find(id);
    return Readable.from([Buffer.from('fake-tar-bytes')]);
  }

  async containerArchiveStat(id: string, opts: { path: string }) {
    this.find(id);
    if (opts.path === '/missing')
      throw new ApiError(404, `Could not find the file ${opts.path} in container ${id}`);
    return {
      name: opts.path.split('/').pop() ?? '',
      size: 5,
      // Go's os.ModeDir bit marks directories in the stat header.
      mode: opts.path === '/tmp' ? 0x80000000 + 0o755 : 0o644,
      mtime: new Date(0).toISOString(),
      linkTarget: '',
    };
  }

  async containerArchiveGet(id: string, opts: { path: string }) {
    const stat = await this.containerArchiveStat(id, opts);
    if (opts.path.startsWith('/real/')) {
      // A real tar (for docker cp): one file named like the path's base, holding "hello\n".
      const dir = mkdtempSync(join(tmpdir(), 'berth-api-fake-'));
      try {
        writeFileSync(join(dir, stat.name), 'hello\n');
        const tar = execFileSync('tar', ['-cf', '-', '-C', dir, stat.name]);
        return { stat: { ...stat, size: 6 }, stream: Readable.from([tar]) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return { stat, stream: Readable.from([Buffer.from('tar-of-'), Buffer.from(opts.path)]) };
  }

  async containerArchivePut(id: string, opts: { path: string; body: Readable }) {
    this.record('containerArchivePut', id, opts.path);
    this.find(id);
    const chunks: Buffer[] = [];
    for await (const c of opts.body) chunks.push(c as Buffer);
    this.lastPut = Buffer.concat(chunks);
  }

  async containerPrune() {
    const deleted = [...this.containers.values()].filter((c) => c.status === 'exited').map((c) => c.id);
    for (const id of deleted) this.containers.delete(id);
    return { ContainersDeleted: deleted, SpaceReclaimed: 0 };
  }

  async containerCommit(opts: { container: string }) {
    this.find(opts.container);
    return { Id: 'sha256:committed' };
  }

  async execCreate(containerId: string, body: ExecCreate) {
    const c = this.find(containerId);
    if (c.status !== 'running') throw new ApiError(409, `Container ${c.id} is not running`);
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, { id, containerId: c.id, body, running: false, exitCode: null });
    return { Id: id };
  }

  async execStart(execId: string, opts: { detach: boolean }): Promise<StreamSession | undefined> {
    const e = this.execs.get(execId);
    if (!e) throw new ApiError(404, `No such exec instance: ${execId}`);
    const tty = e.body.Tty ?? false;
    const stdout = new PassThrough();
    const stderr = tty ? undefined : new PassThrough();
    const stdin = e.body.AttachStdin ? new PassThrough() : undefined;
    e.running = true;
    const done = this.run(
      e.body.Cmd,
      (s, t) => (s === 'stdout' || !stderr ? stdout : stderr).write(t),
      stdin,
      () => {},
    ).then((code) => {
      e.running = false;
      e.exitCode = code;
      stdout.end();
      stderr?.end();
    });
    if (opts.detach) {
      void done;
      return undefined;
    }
    return { tty, stdin, stdout, stderr, close: () => {} };
  }

  async execInspect(execId: string) {
    const e = this.execs.get(execId);
    if (!e) throw new ApiError(404, `No such exec instance: ${execId}`);
    return {
      CanRemove: false,
      DetachKeys: '',
      ID: e.id,
      Running: e.running,
      ExitCode: e.exitCode,
      ProcessConfig: {
        privileged: false,
        user: '',
        tty: false,
        entrypoint: e.body.Cmd[0]!,
        arguments: e.body.Cmd.slice(1),
      },
      OpenStdin: e.body.AttachStdin ?? false,
      OpenStderr: true,
      OpenStdout: true,
      ContainerID: e.containerId,
      Pid: 1,
    };
  }

  async execResize(execId: string) {
    if (!this.execs.has(execId)) throw new ApiError(404, `No such exec instance: ${execId}`);
  }

  async imageList() {
    return [...this.images].map((t) => ({
      Id: `sha256:${t.length.toString(16).padStart(64, '0')}`,
      ParentId: '',
      RepoTags: [t],
      RepoDigests: [],
      Created: 0,
      Size: 1000,
      SharedSize: -1,
      Labels: {},
      Containers: -1,
    }));
  }

  async imageInspect(name: string) {
    if (!this.images.has(norm(name))) throw new ApiError(404, `No such image: ${name}`);
    return {
      Id: 'sha256:fake',
      RepoTags: [name],
      RepoDigests: [],
      Parent: '',
      Comment: '',
      Created: new Date(0).toISOString(),
      Author: '',
      Config: {},
      Architecture: 'amd64',
      Os: 'linux',
      Size: 1000,
      GraphDriver: { Name: 'overlay', Data: {} },
      RootFS: { Type: 'layers', Layers: [] },
      Metadata: {},
    };
  }

  async imageHistory(name: string) {
    await this.imageInspect(name);
    return [{ Id: 'sha256:fake', Created: 0, CreatedBy: '/bin/sh', Tags: [name], Size: 0, Comment: '' }];
  }

  async *imagePull(opts: { fromImage: string; tag?: string }): AsyncIterable<JSONMessage> {
    this.record('imagePull', opts);
    if (opts.fromImage.includes('nosuch'))
      throw new ApiError(404, `pull access denied for ${opts.fromImage}`);
    const ref = norm(`${opts.fromImage}:${opts.tag ?? 'latest'}`);
    yield { status: `Pulling from ${opts.fromImage}`, id: opts.tag ?? 'latest' };
    yield { status: 'Downloading', id: 'abc123', progressDetail: { current: 1, total: 2 } };
    if (opts.fromImage.includes('broken')) throw new Error('layer digest mismatch');
    this.images.add(ref);
    yield { status: `Status: Downloaded newer image for ${ref}` };
  }

  async *imageImport(): AsyncIterable<JSONMessage> {
    yield { status: 'sha256:imported' };
  }

  async *imagePush(name: string): AsyncIterable<JSONMessage> {
    yield { status: `The push refers to repository [${name}]` };
  }

  async imageTag(name: string, opts: { repo: string; tag?: string }) {
    await this.imageInspect(name);
    this.images.add(norm(`${opts.repo}:${opts.tag ?? 'latest'}`));
  }

  async imageRemove(name: string) {
    const ref = norm(name);
    if (!this.images.delete(ref)) throw new ApiError(404, `No such image: ${name}`);
    return [{ Untagged: ref }];
  }

  async imagePrune() {
    return { ImagesDeleted: [], SpaceReclaimed: 0 };
  }

  async imageSave(opts: { names: string[] }) {
    return Readable.from([Buffer.from(`saved:${opts.names.join(',')}`)]);
  }

  async *imageLoad(opts: { body: Readable }): AsyncIterable<JSONMessage> {
    let n = 0;
    for await (const c of opts.body) n += (c as Buffer).length;
    yield { stream: `Loaded image: loaded:${n}\n` };
  }

  async *build(opts: { query: { t: string[] }; context: Readable }): AsyncIterable<JSONMessage> {
    let n = 0;
    for await (const c of opts.context) n += (c as Buffer).length;
    yield { stream: `Step 1/1 : FROM busybox (context ${n} bytes)\n` };
    yield { aux: { ID: 'sha256:built' } };
    yield { stream: `Successfully tagged ${opts.query.t.join(',')}\n` };
  }

  async volumeCreate(body: { Name?: string; Labels?: Record<string, string> }) {
    const name = body.Name ?? randomBytes(8).toString('hex');
    const v: Volume = {
      Name: name,
      Driver: 'local',
      Mountpoint: `/fake/volumes/${name}/_data`,
      Labels: body.Labels ?? {},
      Scope: 'local',
      Options: null,
    };
    this.volumes.set(name, v);
    return v;
  }

  async volumeList() {
    return { Volumes: [...this.volumes.values()], Warnings: [] };
  }

  async volumeInspect(name: string) {
    const v = this.volumes.get(name);
    if (!v) throw new ApiError(404, `get ${name}: no such volume`);
    return v;
  }

  async volumeRemove(name: string) {
    if (!this.volumes.delete(name)) throw new ApiError(404, `get ${name}: no such volume`);
  }

  async volumePrune() {
    return { VolumesDeleted: [], SpaceReclaimed: 0 };
  }

  async networkList() {
    return [...this.networks.values()];
  }

  async networkInspect(id: string) {
    const n = this.networks.get(id) ?? [...this.networks.values()].find((x) => x.Name === id);
    if (!n) throw new ApiError(404, `network ${id} not found`);
    return n;
  }

  async networkCreate(body: { Name: string; Driver?: string; Labels?: Record<string, string> }) {
    for (const n of this.networks.values())
      if (n.Name === body.Name) throw new ApiError(409, `network with name ${body.Name} already exists`);
    const id = randomBytes(32).toString('hex');
    this.networks.set(id, {
      Name: body.Name,
      Id: id,
      Created: new Date().toISOString(),
      Scope: 'local',
      Driver: body.Driver ?? 'bridge',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: null, Config: [] },
      Internal: false,
      Attachable: false,
      Ingress: false,
      Containers: {},
      Options: {},
      Labels: body.Labels ?? {},
    });
    return { Id: id, Warning: '' };
  }

  async networkRemove(id: string) {
    const n = await this.networkInspect(id);
    this.networks.delete(n.Id);
  }

  async networkConnect(id: string) {
    await this.networkInspect(id);
  }

  async networkDisconnect(id: string) {
    await this.networkInspect(id);
  }

  async networkPrune() {
    return { NetworksDeleted: [] };
  }
}
