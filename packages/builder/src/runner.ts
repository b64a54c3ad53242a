// RUN steps in real containers through @berth/runtime, in this process: a bundle whose config.json
// points root.path at the step's mounted snapshot, Docker's default capabilities, no network unless
// asked for the host's, stdout+stderr through a socketpair so output streams while the step runs.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketpair } from '@berth/native';
import { DOCKER_DEFAULT_CAPABILITIES, defaultSpec, type RuntimeSpec } from '@berth/oci-spec';
import { Runtime } from '@berth/runtime';
import type { ContainerRunner, RunRequest, RunResult } from './backend.js';

/** Docker's default capability set for containers (and so for build steps). */
export const DOCKER_DEFAULT_CAPS: readonly string[] = DOCKER_DEFAULT_CAPABILITIES;

export interface RuntimeRunnerOptions {
  /** the Runtime's state root (tests: a temp dir; the daemon: <exec-root>/runtime) */
  root: string;
  /** cgroup parent for step containers (default: the runtime's own default) */
  cgroupParent?: string;
  /** where bundles are written (default: the OS temp dir) */
  bundleDir?: string;
}

/** The config.json of one RUN step. */
export function stepSpec(req: RunRequest, cgroupParent?: string): RuntimeSpec {
  const spec = defaultSpec();
  const caps = [...DOCKER_DEFAULT_CAPS];
  spec.process = {
    ...spec.process!,
    terminal: false,
    args: req.args,
    env: req.env,
    cwd: req.cwd,
    user: {
      uid: req.user.uid,
      gid: req.user.gid,
      ...(req.user.additionalGids.length > 0 ? { additionalGids: req.user.additionalGids } : {}),
    },
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    noNewPrivileges: false,
  };
  delete spec.process.rlimits;
  spec.root = { path: req.rootfs, readonly: false };
  spec.hostname = req.hostname;
  if (req.network === 'host' && spec.linux?.namespaces) {
    spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== 'network');
  }
  if (cgroupParent && spec.linux) spec.linux.cgroupsPath = `${cgroupParent}/${req.id}`;
  for (const f of req.files ?? []) {
    spec.mounts = [
      ...(spec.mounts ?? []),
      {
        destination: f.destination,
        type: 'bind',
        source: f.source,
        options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'],
      },
    ];
  }
  const l = req.limits;
  if (l && spec.linux) {
    const memory = {
      ...(l.memory ? { limit: l.memory } : {}),
      ...(l.memorySwap ? { swap: l.memorySwap } : {}),
    };
    const cpu = {
      ...(l.cpuShares ? { shares: l.cpuShares } : {}),
      ...(l.cpuQuota ? { quota: l.cpuQuota } : {}),
      ...(l.cpuPeriod ? { period: l.cpuPeriod } : {}),
      ...(l.cpusetCpus ? { cpus: l.cpusetCpus } : {}),
    };
    spec.linux.resources = {
      ...spec.linux.resources,
      ...(Object.keys(memory).length > 0 ? { memory } : {}),
      ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    };
    if (l.shmSize) {
      for (const m of spec.mounts ?? []) {
        if (m.destination === '/dev/shm') {
          m.options = [
            ...(m.options ?? []).filter((o) => !o.startsWith('size=')),
            `size=${Math.ceil(l.shmSize / 1024)}k`,
          ];
        }
      }
    }
  }
  return spec;
}

export function runtimeRunner(opts: RuntimeRunnerOptions): ContainerRunner {
  const runtime = new Runtime({ root: opts.root });
  return {
    async run(req: RunRequest): Promise<RunResult> {
      const bundle = mkdtempSync(join(opts.bundleDir ?? tmpdir(), 'berth-build-bundle-'));
      try {
        writeFileSync(join(bundle, 'config.json'), JSON.stringify(stepSpec(req, opts.cgroupParent)));
        const [ours, theirs] = socketpair();
        const output = new Socket({ fd: ours, readable: true, writable: false });
        const ended = new Promise<void>((resolve) => {
          output.on('data', (chunk: Buffer) => req.onOutput(chunk));
          output.on('close', () => resolve());
          output.on('error', () => resolve());
        });
        const devNull = openSync('/dev/null', 'r');
        let created = false;
        try {
          await runtime.create(req.id, { bundle, stdio: [devNull, theirs, theirs] });
          created = true;
        } finally {
          closeSync(theirs);
          closeSync(devNull);
          if (!created) output.destroy();
        }
        const onAbort = () => {
          runtime.kill(req.id, 'SIGKILL').catch(() => {});
        };
        req.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await runtime.start(req.id);
          const status = await runtime.wait(req.id);
          // the pid namespace is gone with its init, so every writer has closed the socket by now
          await Promise.race([ended, new Promise((r) => setTimeout(r, 2000).unref())]);
          return { exitCode: status.exitCode ?? 128 + (status.signal ?? 0), signal: status.signal ?? null };
        } finally {
          req.signal?.removeEventListener('abort', onAbort);
          output.destroy();
          await runtime.delete(req.id, { force: true }).catch(() => {});
        }
      } finally {
        rmSync(bundle, { recursive: true, force: true });
      }
    },
  };
}
