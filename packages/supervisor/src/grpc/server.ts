// serveSupervisor: the supervisor's services over gRPC on a unix socket (containerd's
// /run/containerd/containerd.sock). Every handler maps errors to gRPC status codes with the message,
// never a stack trace.
import { chmodSync, rmSync } from 'node:fs';
import {
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Supervisor } from '../supervisor.js';
import type { Event, TaskAttach, Topic } from '../types.js';
import {
  containerToMsg,
  eventToMsg,
  exitToMsg,
  imageToMsg,
  leaseToMsg,
  type Msg,
  mountFromMsg,
  mountToMsg,
  optionalJson,
  parseJson,
  snapshotToMsg,
  taskToMsg,
} from './codec.js';
import { services } from './load.js';
import { toGrpcError } from './status.js';

type Handler = (req: Msg) => Promise<Msg>;

function unary(fn: Handler) {
  return (call: ServerUnaryCall<Msg, Msg>, callback: sendUnaryData<Msg>) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (e) => callback(toGrpcError(e)),
    );
  };
}

const empty = {};
const ref = (m: Msg) => (m.execId ? { execId: m.execId as string } : {});

function containers(sup: Supervisor): UntypedServiceImplementation {
  return {
    Create: unary(async (m) => {
      const c = m.container ?? {};
      return containerToMsg(
        await sup.containers.create(m.namespace, {
          id: c.id,
          image: c.image,
          ...(c.snapshotter ? { snapshotter: c.snapshotter } : {}),
          ...(c.snapshotKey ? { snapshotKey: c.snapshotKey } : {}),
          spec: parseJson('container.spec', c.specJson) as never,
          labels: c.labels ?? {},
          runtime: { name: c.runtimeName || 'berth' },
        }),
      );
    }),
    Get: unary(async (m) => containerToMsg(await sup.containers.get(m.namespace, m.id))),
    List: unary(async (m) => ({
      containers: (await sup.containers.list(m.namespace, m.filters)).map(containerToMsg),
    })),
    Update: unary(async (m) =>
      containerToMsg(
        await sup.containers.update(m.namespace, m.id, {
          ...(m.image !== undefined && m.image !== null ? { image: m.image } : {}),
          ...(m.snapshotKey !== undefined && m.snapshotKey !== null ? { snapshotKey: m.snapshotKey } : {}),
          ...(m.specJson ? { spec: parseJson('spec', m.specJson) as never } : {}),
          ...(m.labels ? { labels: m.labels.labels ?? {} } : {}),
        }),
      ),
    ),
    Delete: unary(async (m) => {
      await sup.containers.delete(m.namespace, m.id);
      return empty;
    }),
  };
}

function attach(sup: Supervisor) {
  return (call: ServerDuplexStream<Msg, Msg>) => {
    let att: TaskAttach | undefined;
    let opened = false;
    let closed = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      att?.close();
    };
    call.on('cancelled', finish);
    call.on('error', finish);
    call.on('data', (m: Msg) => {
      if (!opened) {
        opened = true;
        const r = m.ref ?? {};
        sup.tasks
          .attach(r.namespace, r.id, { ...ref(r), stdin: m.stdin, stdout: m.stdout, stderr: m.stderr })
          .then(
            (a) => {
              att = a;
              if (closed) {
                a.close();
                return;
              }
              // stream 0: attached (the client returns from attach() only now)
              call.write({ stream: 0 });
              let open = 0;
              const pump = (stream: number, src: NodeJS.ReadableStream | undefined) => {
                if (!src) return;
                open++;
                src.on('data', (d: Buffer) => call.write({ stream, data: d }));
                src.on('end', () => {
                  call.write({ stream, eof: true });
                  if (--open === 0) call.end();
                });
                src.on('error', () => {
                  if (--open === 0) call.end();
                });
              };
              pump(1, a.stdout);
              pump(2, a.stderr);
              if (open === 0) call.end();
            },
            (e) => {
              const g = toGrpcError(e);
              call.destroy(Object.assign(new Error(g.details), g));
            },
          );
        return;
      }
      if (!att?.stdin) return;
      if (m.data && m.data.length > 0) att.stdin.write(m.data);
      if (m.closeStdin) att.stdin.end();
    });
    call.on('end', () => {
      // the client half-closed: its stdin is done, output may still come
    });
  };
}

function tasks(sup: Supervisor): UntypedServiceImplementation {
  const t = sup.tasks;
  return {
    Create: unary(async (m) => {
      const opts: Parameters<typeof t.create>[2] = { terminal: m.terminal, stdin: m.stdin };
      if (m.rootfsSet) opts.rootfs = (m.rootfs ?? []).map(mountFromMsg);
      if (m.log)
        opts.log = {
          path: m.log.path,
          format: m.log.format,
          ...(m.log.maxSize ? { maxSize: m.log.maxSize } : {}),
          ...(m.log.maxFiles ? { maxFiles: m.log.maxFiles } : {}),
        };
      return taskToMsg(await t.create(m.namespace, m.id, opts));
    }),
    Start: unary(async (m) => taskToMsg(await t.start(m.namespace, m.id, ref(m)))),
    State: unary(async (m) => taskToMsg(await t.state(m.namespace, m.id, ref(m)))),
    List: unary(async (m) => ({ tasks: (await t.list(m.namespace)).map(taskToMsg) })),
    Kill: unary(async (m) => {
      await t.kill(m.namespace, m.id, m.signal, { ...ref(m), all: m.all });
      return empty;
    }),
    Wait: unary(async (m) => exitToMsg(await t.wait(m.namespace, m.id, ref(m)))),
    Delete: unary(async (m) => exitToMsg(await t.delete(m.namespace, m.id, { force: m.force }))),
    Exec: unary(async (m) =>
      taskToMsg(
        await t.exec(m.namespace, m.id, m.execId, {
          process: parseJson('process', m.processJson) as never,
          terminal: m.terminal,
          stdin: m.stdin,
        }),
      ),
    ),
    DeleteProcess: unary(async (m) => exitToMsg(await t.deleteProcess(m.namespace, m.id, m.execId))),
    Pause: unary(async (m) => {
      await t.pause(m.namespace, m.id);
      return empty;
    }),
    Resume: unary(async (m) => {
      await t.resume(m.namespace, m.id);
      return empty;
    }),
    Pids: unary(async (m) => ({ pids: await t.pids(m.namespace, m.id) })),
    Stats: unary(async (m) => ({ statsJson: JSON.stringify(await t.stats(m.namespace, m.id)) })),
    Update: unary(async (m) => {
      await t.update(m.namespace, m.id, parseJson('resources', m.resourcesJson) as never);
      return empty;
    }),
    Resize: unary(async (m) => {
      await t.resize(m.namespace, m.id, { cols: m.cols, rows: m.rows }, ref(m));
      return empty;
    }),
    CloseStdin: unary(async (m) => {
      await t.closeStdin(m.namespace, m.id, ref(m));
      return empty;
    }),
    Checkpoint: unary(async (m) => t.checkpoint(m.namespace, m.id)),
    Attach: attach(sup),
  };
}

function images(sup: Supervisor): UntypedServiceImplementation {
  return {
    Create: unary(async (m) =>
      imageToMsg(
        await sup.images.create(m.namespace, {
          name: m.name,
          target: parseJson('target', m.targetJson) as never,
          labels: m.labels ?? {},
        }),
      ),
    ),
    Get: unary(async (m) => imageToMsg(await sup.images.get(m.namespace, m.name))),
    List: unary(async (m) => ({ images: (await sup.images.list(m.namespace, m.filters)).map(imageToMsg) })),
    Update: unary(async (m) => {
      const target = optionalJson('target', m.targetJson);
      return imageToMsg(
        await sup.images.update(m.namespace, m.name, {
          ...(target !== undefined ? { target: target as never } : {}),
          ...(m.labels ? { labels: m.labels.labels ?? {} } : {}),
        }),
      );
    }),
    Delete: unary(async (m) => {
      await sup.images.delete(m.namespace, m.name);
      return empty;
    }),
  };
}

function content(sup: Supervisor): UntypedServiceImplementation {
  const c = sup.content;
  return {
    Info: unary(async (m) => c.info(m.digest) as Promise<Msg>),
    List: unary(async (m) => ({ infos: await c.list(m.filters) })),
    Update: unary(async (m) => {
      const changes: Record<string, string | null> = { ...(m.set ?? {}) };
      for (const k of m.remove ?? []) changes[k] = null;
      return (await c.update(m.digest, changes)) as unknown as Msg;
    }),
    Delete: unary(async (m) => {
      await c.delete(m.digest);
      return empty;
    }),
    Read: unary(async (m) => ({ data: await c.read(m.digest) })),
    Write: unary(async (m) => ({
      digest: await c.write(Buffer.from(m.data ?? []), {
        ...(m.ref ? { ref: m.ref } : {}),
        ...(m.expected ? { expected: m.expected } : {}),
        labels: m.labels ?? {},
      }),
    })),
  };
}

function snapshots(sup: Supervisor): UntypedServiceImplementation {
  const s = sup.snapshots;
  const mounts = (ms: Awaited<ReturnType<typeof s.mounts>>) => ({ mounts: ms.map(mountToMsg) });
  return {
    Prepare: unary(async (m) => mounts(await s.prepare(m.key, m.parent || undefined, m.labels ?? {}))),
    View: unary(async (m) => mounts(await s.view(m.key, m.parent || undefined, m.labels ?? {}))),
    Mounts: unary(async (m) => mounts(await s.mounts(m.key))),
    Commit: unary(async (m) => {
      await s.commit(m.name, m.key, m.labels ?? {});
      return empty;
    }),
    Remove: unary(async (m) => {
      await s.remove(m.key);
      return empty;
    }),
    Stat: unary(async (m) => snapshotToMsg(await s.stat(m.key))),
    List: unary(async (m) => ({ infos: (await s.list(m.filters)).map(snapshotToMsg) })),
    Usage: unary(async (m) => s.usage(m.key)),
  };
}

function leases(sup: Supervisor): UntypedServiceImplementation {
  const l = sup.leases;
  return {
    Create: unary(async (m) =>
      leaseToMsg(
        await l.create(m.namespace, {
          ...(m.id ? { id: m.id } : {}),
          labels: m.labels ?? {},
          ...(m.expiresIn ? { expiresIn: m.expiresIn } : {}),
        }),
      ),
    ),
    Delete: unary(async (m) => {
      await l.delete(m.namespace, m.id);
      return empty;
    }),
    List: unary(async (m) => ({ leases: (await l.list(m.namespace, m.filters)).map(leaseToMsg) })),
    AddResource: unary(async (m) => {
      await l.addResource(m.namespace, m.leaseId, m.resource);
      return empty;
    }),
    DeleteResource: unary(async (m) => {
      await l.deleteResource(m.namespace, m.leaseId, m.resource);
      return empty;
    }),
    ListResources: unary(async (m) => ({ resources: await l.listResources(m.namespace, m.id) })),
  };
}

function gc(sup: Supervisor): UntypedServiceImplementation {
  return {
    Collect: unary(async (m) =>
      sup.gc({ contentRoots: m.contentRoots ?? [], snapshotRoots: m.snapshotRoots ?? [] }),
    ),
  };
}

function events(sup: Supervisor): UntypedServiceImplementation {
  return {
    Subscribe: (call: ServerWritableStream<Msg, Msg>) => {
      const ac = new AbortController();
      call.on('cancelled', () => ac.abort());
      call.on('close', () => ac.abort());
      let iterable: AsyncIterable<Event>;
      try {
        iterable = sup.events.subscribe({ filters: call.request.filters ?? [], signal: ac.signal });
      } catch (e) {
        const g = toGrpcError(e);
        call.destroy(Object.assign(new Error(g.details), g));
        return;
      }
      // an empty first message: the subscription is in place (the client's `ready`)
      call.write({ topic: '', namespace: '', timestamp: '', eventJson: '' });
      void (async () => {
        for await (const e of iterable) call.write(eventToMsg(e));
        call.end();
      })();
    },
    Publish: unary(async (m) => {
      await sup.events.publish(
        m.namespace,
        m.topic as Topic,
        (optionalJson('event', m.eventJson) ?? {}) as Record<string, unknown>,
      );
      return empty;
    }),
  };
}

export interface SupervisorServer {
  readonly socketPath: string;
  /** Stops accepting calls and ends the open ones; the Supervisor itself stays open. */
  close(): Promise<void>;
}

/** Serves `sup` on a unix socket (made 0600; a stale socket file is replaced). */
export async function serveSupervisor(sup: Supervisor, socketPath: string): Promise<SupervisorServer> {
  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const defs = services();
  server.addService(defs.Containers.service, containers(sup));
  server.addService(defs.Tasks.service, tasks(sup));
  server.addService(defs.Images.service, images(sup));
  server.addService(defs.Content.service, content(sup));
  server.addService(defs.Snapshots.service, snapshots(sup));
  server.addService(defs.Leases.service, leases(sup));
  server.addService(defs.Gc.service, gc(sup));
  server.addService(defs.Events.service, events(sup));
  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => {
          rmSync(socketPath, { force: true });
          resolve();
        });
        // open streams (attach, events) would hold tryShutdown forever
        setTimeout(() => server.forceShutdown(), 500).unref();
      }),
  };
}
