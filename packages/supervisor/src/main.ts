#!/usr/bin/env node
// berth-supervisor: the supervisor as its own process (containerd's place), serving gRPC on a unix
// socket. Prints "ready <socket>" on stdout once it serves; on SIGTERM or SIGINT it stops serving and
// exits, leaving the containers running in their shims for the next start to recover.
import { parseArgs } from 'node:util';
import { ContentStore } from '@berth/content';
import { OverlaySnapshotter } from '@berth/overlay';
import { z } from 'zod';
import { serveSupervisor } from './grpc/server.js';
import { Supervisor } from './supervisor.js';

const Flags = z.object({
  root: z.string().startsWith('/', 'must be an absolute path').default('/var/lib/berth/supervisor'),
  'state-dir': z.string().startsWith('/', 'must be an absolute path').default('/run/berth/supervisor'),
  'runtime-root': z.string().startsWith('/', 'must be an absolute path').default('/run/berth/runtime'),
  socket: z.string().startsWith('/', 'must be an absolute path').default('/run/berth/supervisor.sock'),
  'cgroup-parent': z.string().startsWith('/', 'must start with /').default('/berth'),
  backend: z.enum(['shim', 'in-process']).optional(),
  'content-root': z.string().startsWith('/', 'must be an absolute path').optional(),
  'snapshots-root': z.string().startsWith('/', 'must be an absolute path').optional(),
});

const USAGE = `usage: berth-supervisor [--root DIR] [--state-dir DIR] [--runtime-root DIR] [--socket PATH]
       [--cgroup-parent PATH] [--backend shim|in-process] [--content-root DIR] [--snapshots-root DIR]`;

async function main(): Promise<void> {
  let raw: Record<string, unknown>;
  try {
    raw = parseArgs({
      options: Object.fromEntries(Object.keys(Flags.shape).map((k) => [k, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    console.error(`berth-supervisor: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const parsed = Flags.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    console.error(`berth-supervisor: --${i.path.join('.')}: ${i.message}\n${USAGE}`);
    process.exit(2);
  }
  const f = parsed.data;
  const sup = await Supervisor.open({
    root: f.root,
    stateDir: f['state-dir'],
    runtimeRoot: f['runtime-root'],
    cgroupParent: f['cgroup-parent'],
    ...(f.backend ? { backend: f.backend } : {}),
    ...(f['content-root'] ? { content: await ContentStore.open(f['content-root']) } : {}),
    ...(f['snapshots-root'] ? { snapshotter: new OverlaySnapshotter(f['snapshots-root']) } : {}),
  });
  const server = await serveSupervisor(sup, f.socket);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await sup.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ${f.socket}\n`);
}

main().catch((e) => {
  console.error(`berth-supervisor: ${(e as Error).message}`);
  process.exit(1);
});
