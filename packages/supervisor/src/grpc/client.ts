// SupervisorClient: the same services as the in-process Supervisor, over gRPC on a unix socket.
// Errors come back as SupervisorError with the code the server mapped (UNAVAILABLE when the
// supervisor cannot be reached).
import { PassThrough, Writable } from 'node:stream';
import {
  type CallOptions,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  credentials,
  type ServiceError,
} from '@grpc/grpc-js';
import type {
  AttachOptions,
  CgroupStats,
  Container,
  ContainerCreate,
  ContainersService,
  ContainerUpdate,
  ContentInfo,
  ContentService,
  Descriptor,
  Event,
  EventSubscription,
  EventsService,
  ExecOptions,
  ExitStatus,
  Filters,
  GcOptions,
  GcResult,
  Image,
  ImageCreate,
  ImagesService,
  KillOptions,
  Labels,
  Lease,
  LeaseResource,
  LeasesService,
  LinuxResources,
  Mount,
  ProcessRef,
  SnapshotInfo,
  SnapshotsService,
  SubscribeOptions,
  SupervisorApi,
  TaskAttach,
  TaskCreateOptions,
  TaskInfo,
  TasksService,
  Topic,
} from '../types.js';
import {
  containerFromMsg,
  contentFromMsg,
  eventFromMsg,
  exitFromMsg,
  imageFromMsg,
  leaseFromMsg,
  type Msg,
  mountFromMsg,
  mountToMsg,
  snapshotFromMsg,
  taskFromMsg,
} from './codec.js';
import type { Event__Output } from './generated/berth/supervisor/v1/Event.js';
import { type ServiceName, services } from './load.js';
import { fromGrpcError } from './status.js';

type Unary = (req: Msg, opts: CallOptions, cb: (err: ServiceError | null, res: Msg) => void) => void;

export class SupervisorClient implements SupervisorApi {
  readonly #clients = new Map<ServiceName, Client>();
  readonly containers: ContainersService;
  readonly tasks: TasksService;
  readonly images: ImagesService;
  readonly content: ContentService;
  readonly snapshots: SnapshotsService;
  readonly leases: LeasesService;
  readonly events: EventsService;

  constructor(readonly socketPath: string) {
    const defs = services();
    for (const [name, Ctor] of Object.entries(defs) as Array<[ServiceName, (typeof defs)[ServiceName]]>)
      this.#clients.set(name, new Ctor(`unix://${socketPath}`, credentials.createInsecure()));
    this.containers = this.#containers();
    this.tasks = this.#tasks();
    this.images = this.#images();
    this.content = this.#content();
    this.snapshots = this.#snapshots();
    this.leases = this.#leases();
    this.events = this.#events();
  }

  #client(service: ServiceName): Client & Record<string, Unary> {
    return this.#clients.get(service) as Client & Record<string, Unary>;
  }

  /** One unary call; `Res` is the generated message type the method answers with (the proto
   * declares it; grpc-js's untyped services cannot check it). */
  #call<Res = Msg>(service: ServiceName, method: string, req: Msg): Promise<Res> {
    const client = this.#client(service);
    return new Promise((resolve, reject) => {
      client[method]!.call(client, req, {}, (err, res) =>
        err ? reject(fromGrpcError(err)) : resolve(res as Res),
      );
    });
  }

  #containers(): ContainersService {
    return {
      create: async (ns: string, c: ContainerCreate): Promise<Container> =>
        containerFromMsg(
          await this.#call('Containers', 'Create', {
            namespace: ns,
            container: {
              id: c.id,
              image: c.image ?? '',
              snapshotter: c.snapshotter ?? '',
              snapshotKey: c.snapshotKey ?? '',
              specJson: JSON.stringify(c.spec),
              labels: c.labels ?? {},
              runtimeName: c.runtime?.name ?? 'berth',
            },
          }),
        ),
      get: async (ns, id) => containerFromMsg(await this.#call('Containers', 'Get', { namespace: ns, id })),
      list: async (ns, filters?: Filters) =>
        (
          (await this.#call('Containers', 'List', { namespace: ns, filters: filters ?? [] })).containers ?? []
        ).map(containerFromMsg),
      update: async (ns, id, ch: ContainerUpdate) => {
        const req: Msg = { namespace: ns, id };
        if (ch.image !== undefined) req.image = ch.image;
        if (ch.snapshotKey !== undefined) req.snapshotKey = ch.snapshotKey;
        if (ch.spec !== undefined) req.specJson = JSON.stringify(ch.spec);
        if (ch.labels !== undefined) req.labels = { labels: ch.labels };
        return containerFromMsg(await this.#call('Containers', 'Update', req));
      },
      delete: async (ns, id) => {
        await this.#call('Containers', 'Delete', { namespace: ns, id });
      },
    };
  }

  #tasks(): TasksService {
    const ref = (ns: string, id: string, r: ProcessRef = {}) => ({
      namespace: ns,
      id,
      execId: r.execId ?? '',
    });
    return {
      create: async (ns, id, o: TaskCreateOptions = {}): Promise<TaskInfo> => {
        const req: Msg = {
          namespace: ns,
          id,
          rootfs: (o.rootfs ?? []).map(mountToMsg),
          rootfsSet: o.rootfs !== undefined,
          terminal: !!o.terminal,
          stdin: !!o.stdin,
        };
        if (o.log)
          req.log = {
            path: o.log.path,
            format: o.log.format,
            maxSize: o.log.maxSize ?? 0,
            maxFiles: o.log.maxFiles ?? 0,
          };
        return taskFromMsg(await this.#call('Tasks', 'Create', req));
      },
      start: async (ns, id, r?: ProcessRef) =>
        taskFromMsg(await this.#call('Tasks', 'Start', ref(ns, id, r))),
      state: async (ns, id, r?: ProcessRef) =>
        taskFromMsg(await this.#call('Tasks', 'State', ref(ns, id, r))),
      list: async (ns) =>
        ((await this.#call('Tasks', 'List', { namespace: ns })).tasks ?? []).map(taskFromMsg),
      kill: async (ns, id, signal: number, o: KillOptions = {}) => {
        await this.#call('Tasks', 'Kill', { ...ref(ns, id, o), signal, all: !!o.all });
      },
      wait: async (ns, id, r?: ProcessRef): Promise<ExitStatus> =>
        exitFromMsg(await this.#call('Tasks', 'Wait', ref(ns, id, r))),
      delete: async (ns, id, o: { force?: boolean } = {}) =>
        exitFromMsg(await this.#call('Tasks', 'Delete', { namespace: ns, id, force: !!o.force })),
      exec: async (ns, id, execId, o: ExecOptions) =>
        taskFromMsg(
          await this.#call('Tasks', 'Exec', {
            namespace: ns,
            id,
            execId,
            processJson: JSON.stringify(o.process),
            terminal: !!o.terminal,
            stdin: !!o.stdin,
          }),
        ),
      deleteProcess: async (ns, id, execId) =>
        exitFromMsg(await this.#call('Tasks', 'DeleteProcess', { namespace: ns, id, execId })),
      pause: async (ns, id) => {
        await this.#call('Tasks', 'Pause', ref(ns, id));
      },
      resume: async (ns, id) => {
        await this.#call('Tasks', 'Resume', ref(ns, id));
      },
      pids: async (ns, id) => (await this.#call('Tasks', 'Pids', ref(ns, id))).pids ?? [],
      stats: async (ns, id): Promise<CgroupStats> =>
        JSON.parse((await this.#call('Tasks', 'Stats', ref(ns, id))).statsJson),
      update: async (ns, id, resources: LinuxResources) => {
        await this.#call('Tasks', 'Update', { namespace: ns, id, resourcesJson: JSON.stringify(resources) });
      },
      attach: (ns, id, o: AttachOptions = {}) => this.#attach(ns, id, o),
      resize: async (ns, id, size, r?: ProcessRef) => {
        await this.#call('Tasks', 'Resize', { ...ref(ns, id, r), cols: size.cols, rows: size.rows });
      },
      closeStdin: async (ns, id, r?: ProcessRef) => {
        await this.#call('Tasks', 'CloseStdin', ref(ns, id, r));
      },
      checkpoint: async (ns, id): Promise<never> => {
        await this.#call('Tasks', 'Checkpoint', ref(ns, id));
        throw new Error('unreachable: Checkpoint returned');
      },
    };
  }

  /** Attach over a bidirectional stream; resolves once the server has attached. */
  #attach(ns: string, id: string, o: AttachOptions): Promise<TaskAttach> {
    const client = this.#client('Tasks') as unknown as Record<string, () => ClientDuplexStream<Msg, Msg>>;
    const call = client.Attach!.call(this.#client('Tasks'));
    const stdout = o.stdout !== false ? new PassThrough() : undefined;
    const stderr = o.stderr !== false ? new PassThrough() : undefined;
    const endAll = () => {
      stdout?.end();
      stderr?.end();
    };
    return new Promise((resolve, reject) => {
      let attached = false;
      call.on('data', (m: Msg) => {
        if (m.stream === 0) {
          attached = true;
          const att: TaskAttach = {
            close: () => {
              call.cancel();
              endAll();
            },
          };
          if (stdout) att.stdout = stdout;
          if (stderr) att.stderr = stderr;
          if (o.stdin) {
            att.stdin = new Writable({
              write: (chunk: Buffer, _e, cb) => {
                call.write({ data: chunk }, cb);
              },
              final: (cb) => {
                call.write({ closeStdin: true });
                cb();
              },
            });
          }
          resolve(att);
          return;
        }
        const target = m.stream === 1 ? stdout : m.stream === 2 ? stderr : undefined;
        if (!target) return;
        if (m.eof) target.end();
        else if (m.data?.length) target.write(m.data);
      });
      call.on('end', endAll);
      call.on('error', (e) => {
        endAll();
        if (!attached) reject(fromGrpcError(e));
      });
      call.write({
        ref: { namespace: ns, id, execId: o.execId ?? '' },
        stdin: !!o.stdin,
        stdout: o.stdout !== false,
        stderr: o.stderr !== false,
      });
    });
  }

  #images(): ImagesService {
    return {
      create: async (ns, i: ImageCreate): Promise<Image> =>
        imageFromMsg(
          await this.#call('Images', 'Create', {
            namespace: ns,
            name: i.name,
            targetJson: JSON.stringify(i.target),
            labels: i.labels ?? {},
          }),
        ),
      get: async (ns, name) => imageFromMsg(await this.#call('Images', 'Get', { namespace: ns, name })),
      list: async (ns, filters?: Filters) =>
        ((await this.#call('Images', 'List', { namespace: ns, filters: filters ?? [] })).images ?? []).map(
          imageFromMsg,
        ),
      update: async (ns, name, ch: { target?: Descriptor; labels?: Labels }) => {
        const req: Msg = { namespace: ns, name };
        if (ch.target) req.targetJson = JSON.stringify(ch.target);
        if (ch.labels) req.labels = { labels: ch.labels };
        return imageFromMsg(await this.#call('Images', 'Update', req));
      },
      delete: async (ns, name) => {
        await this.#call('Images', 'Delete', { namespace: ns, name });
      },
    };
  }

  #content(): ContentService {
    return {
      info: async (digest): Promise<ContentInfo> =>
        contentFromMsg(await this.#call('Content', 'Info', { digest })),
      list: async (filters?: Filters) =>
        ((await this.#call('Content', 'List', { filters: filters ?? [] })).infos ?? []).map(contentFromMsg),
      update: async (digest, labels) => {
        const set: Record<string, string> = {};
        const remove: string[] = [];
        for (const [k, v] of Object.entries(labels)) {
          if (v === null) remove.push(k);
          else set[k] = v;
        }
        return contentFromMsg(await this.#call('Content', 'Update', { digest, set, remove }));
      },
      delete: async (digest) => {
        await this.#call('Content', 'Delete', { digest });
      },
      read: async (digest) => Buffer.from((await this.#call('Content', 'Read', { digest })).data),
      write: async (data, o = {}) =>
        (
          await this.#call('Content', 'Write', {
            data,
            ref: o.ref ?? '',
            expected: o.expected ?? '',
            labels: o.labels ?? {},
          })
        ).digest,
    };
  }

  #snapshots(): SnapshotsService {
    const mounts = (m: Msg): Mount[] => (m.mounts ?? []).map(mountFromMsg);
    const req = (key: string, parent?: string, labels?: Labels, name?: string) => ({
      key,
      parent: parent ?? '',
      labels: labels ?? {},
      name: name ?? '',
    });
    return {
      prepare: async (key, parent, labels) =>
        mounts(await this.#call('Snapshots', 'Prepare', req(key, parent, labels))),
      view: async (key, parent, labels) =>
        mounts(await this.#call('Snapshots', 'View', req(key, parent, labels))),
      mounts: async (key) => mounts(await this.#call('Snapshots', 'Mounts', req(key))),
      commit: async (name, key, labels) => {
        await this.#call('Snapshots', 'Commit', req(key, undefined, labels, name));
      },
      remove: async (key) => {
        await this.#call('Snapshots', 'Remove', req(key));
      },
      stat: async (key): Promise<SnapshotInfo> =>
        snapshotFromMsg(await this.#call('Snapshots', 'Stat', req(key))),
      list: async (filters?: Filters) =>
        ((await this.#call('Snapshots', 'List', { filters: filters ?? [] })).infos ?? []).map(
          snapshotFromMsg,
        ),
      usage: async (key) => {
        const u = await this.#call('Snapshots', 'Usage', req(key));
        return { size: u.size, inodes: u.inodes };
      },
    };
  }

  #leases(): LeasesService {
    return {
      create: async (ns, o = {}): Promise<Lease> =>
        leaseFromMsg(
          await this.#call('Leases', 'Create', {
            namespace: ns,
            id: o.id ?? '',
            labels: o.labels ?? {},
            expiresIn: o.expiresIn ?? 0,
          }),
        ),
      delete: async (ns, id) => {
        await this.#call('Leases', 'Delete', { namespace: ns, id });
      },
      list: async (ns, filters?: Filters) =>
        ((await this.#call('Leases', 'List', { namespace: ns, filters: filters ?? [] })).leases ?? []).map(
          leaseFromMsg,
        ),
      addResource: async (ns, id, resource: LeaseResource) => {
        await this.#call('Leases', 'AddResource', { namespace: ns, leaseId: id, resource });
      },
      deleteResource: async (ns, id, resource: LeaseResource) => {
        await this.#call('Leases', 'DeleteResource', { namespace: ns, leaseId: id, resource });
      },
      listResources: async (ns, id) =>
        ((await this.#call('Leases', 'ListResources', { namespace: ns, id })).resources ?? []).map(
          (r: Msg) => ({
            type: r.type,
            id: r.id,
          }),
        ),
    };
  }

  #events(): EventsService {
    return {
      subscribe: (opts: SubscribeOptions = {}): EventSubscription => {
        const client = this.#client('Events') as unknown as Record<
          string,
          (req: Msg) => ClientReadableStream<Msg>
        >;
        const call = client.Subscribe!.call(this.#client('Events'), { filters: opts.filters ?? [] });
        const queue: Event[] = [];
        let wake: (() => void) | undefined;
        let done = false;
        let failure: Error | undefined;
        let readyResolve!: () => void;
        let readyReject!: (e: Error) => void;
        const ready = new Promise<void>((res, rej) => {
          readyResolve = res;
          readyReject = rej;
        });
        ready.catch(() => {});
        const finish = () => {
          done = true;
          wake?.();
        };
        call.on('data', (m: Event__Output) => {
          if (m.topic === '') {
            readyResolve();
            return;
          }
          queue.push(eventFromMsg(m));
          wake?.();
        });
        call.on('end', finish);
        call.on('error', (e: ServiceError) => {
          // a cancel we asked for is the normal end
          if (!opts.signal?.aborted && e.code !== 1) failure = fromGrpcError(e);
          readyReject(failure ?? new Error('subscription ended'));
          finish();
        });
        const cancel = () => {
          call.cancel();
          finish();
        };
        opts.signal?.addEventListener('abort', cancel, { once: true });
        const iterator: AsyncIterableIterator<Event> = {
          [Symbol.asyncIterator]: () => iterator,
          next: async () => {
            while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
            wake = undefined;
            const e = queue.shift();
            if (e) return { value: e, done: false };
            if (failure) throw failure;
            return { value: undefined, done: true };
          },
          return: async () => {
            cancel();
            return { value: undefined, done: true };
          },
        };
        return Object.assign(iterator, { ready });
      },
      publish: async (ns: string, topic: Topic, event: Record<string, unknown>) => {
        await this.#call('Events', 'Publish', { namespace: ns, topic, eventJson: JSON.stringify(event) });
      },
    };
  }

  async gc(extra: GcOptions = {}): Promise<GcResult> {
    const r = await this.#call('Gc', 'Collect', {
      contentRoots: [...(extra.contentRoots ?? [])],
      snapshotRoots: [...(extra.snapshotRoots ?? [])],
    });
    return { content: r.content ?? [], snapshots: r.snapshots ?? [], leases: r.leases ?? [] };
  }

  /** Closes the channels (the supervisor keeps running). */
  async close(): Promise<void> {
    for (const c of this.#clients.values()) c.close();
  }
}
