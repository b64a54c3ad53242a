// Starting and stopping the daemon: opens the stores under the data root, the supervisor, the
// network manager, restores the containers, and serves the Engine API on every -H address.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ApiServer, createApiServer, type JSONMessage } from '@berth/api';
import { Builder } from '@berth/builder';
import { ContentStore } from '@berth/content';
import { Daemon, type Logger, type SupervisorLike } from '@berth/daemon';
import { ImageStore } from '@berth/image';
import { initBinaryPath } from '@berth/native';
import { NetworkManager } from '@berth/network';
import { OverlaySnapshotter } from '@berth/overlay';
import { Supervisor } from '@berth/supervisor';
import { ConfigError, type DaemonConfig, parseHost } from './config.js';
import { networkAdapter } from './network-adapter.js';

export interface Berthd {
  daemon: Daemon;
  api: ApiServer;
  /** Graceful stop: the API closes, containers keep running (their shims hold them). */
  close(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writePidfile(path: string): void {
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
      throw new ConfigError(
        `pid file found, ensure berthd is not running or delete ${path} (pid ${pid} is alive)`,
      );
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, String(process.pid));
}

export async function startBerthd(cfg: DaemonConfig, logger: Logger): Promise<Berthd> {
  mkdirSync(cfg.dataRoot, { recursive: true, mode: 0o711 });
  mkdirSync(cfg.execRoot, { recursive: true, mode: 0o711 });
  writePidfile(cfg.pidfile);
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(cfg.pidfile, { force: true })];
  const undo = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  };
  try {
    const content = await ContentStore.open(join(cfg.dataRoot, 'content'));
    const snapshotter = new OverlaySnapshotter(join(cfg.dataRoot, 'snapshots'));
    cleanups.push(() => snapshotter.close());
    let daemon: Daemon | undefined;
    const images = await ImageStore.open({
      root: join(cfg.dataRoot, 'images'),
      content,
      snapshotter,
      registry: { registryMirrors: cfg.registryMirrors, insecureRegistries: cfg.insecureRegistries },
      inUse: (id) => daemon?.containers.list().some((c) => c.Image === id) ?? false,
    });
    const supervisor: SupervisorLike = await Supervisor.open({
      root: join(cfg.dataRoot, 'supervisor'),
      stateDir: join(cfg.execRoot, 'supervisor'),
      runtimeRoot: join(cfg.execRoot, 'runtime'),
      content,
      snapshotter,
      cgroupParent: cfg.cgroupParent,
      backend: cfg.supervisorBackend,
      logger: {
        debug: (o, m) => logger.debug({ component: 'supervisor', ...o }, m),
        info: (o, m) => logger.info({ component: 'supervisor', ...o }, m),
        warn: (o, m) => logger.warn({ component: 'supervisor', ...o }, m),
        error: (o, m) => logger.error({ component: 'supervisor', ...o }, m),
      },
    });
    cleanups.push(() => supervisor.close());
    const network =
      // --bridge none: no default bridge, but the manager still gives containers a netns with lo up
      // (Docker's none network) and serves user networks
      networkAdapter(
        await NetworkManager.open({
          root: join(cfg.dataRoot, 'network'),
          netnsDir: join(cfg.execRoot, 'netns'),
          defaultBridge:
            cfg.bridge === 'none'
              ? false
              : {
                  ...(cfg.bridge ? { bridge: cfg.bridge } : {}),
                  ...(cfg.bip ? { subnet: subnetOf(cfg.bip), gateway: cfg.bip.split('/')[0]! } : {}),
                },
        }),
      );
    // docker build (the classic builder's stream); RUN steps run through @berth/runtime
    const buildCgroupParent = `${cfg.cgroupParent.replace(/\/$/, '')}-build`;
    const builder = new Builder({
      images,
      root: join(cfg.dataRoot, 'builder'),
      runtimeRoot: join(cfg.execRoot, 'build-runtime'),
      cgroupParent: buildCgroupParent,
    });
    await builder.recover();
    daemon = new Daemon({
      build: (o) => builder.apiBuild(o) as AsyncIterable<JSONMessage>,
      buildPrune: () => builder.buildPrune(),
      dataRoot: cfg.dataRoot,
      execRoot: cfg.execRoot,
      cgroupParent: cfg.cgroupParent,
      supervisor,
      images,
      snapshotter,
      snapshotterName: 'overlayfs',
      network,
      defaultNetwork: cfg.bridge === 'none' ? 'none' : 'bridge',
      logger,
      registryMirrors: cfg.registryMirrors,
      insecureRegistries: cfg.insecureRegistries,
      ...(initPath() ? { initPath: initPath()! } : {}),
    });
    await daemon.restore();
    const api = createApiServer({ backend: daemon, logger });
    cleanups.push(() => api.close());
    for (const h of cfg.hosts) {
      const l = parseHost(h);
      if (l.kind === 'unix') {
        mkdirSync(dirname(l.path), { recursive: true });
        await api.listenUnix(l.path, { mode: 0o660, ...(cfg.group ? { group: cfg.group } : {}) });
        logger.info({ host: h }, 'API listen on unix socket');
      } else if (l.kind === 'tcp') {
        if (cfg.tls) {
          await api.listenTcp(l.host, l.port, {
            tls: {
              ca: readFileSync(cfg.tls.ca),
              cert: readFileSync(cfg.tls.cert),
              key: readFileSync(cfg.tls.key),
            },
          });
          logger.info({ host: h }, 'API listen on tcp (mutual TLS)');
        } else {
          logger.warn(
            { host: h },
            'binding to a TCP address without TLS: anyone who can reach it is root on this host',
          );
          await api.listenTcp(l.host, l.port, { insecure: true });
          logger.info({ host: h }, 'API listen on tcp');
        }
      } else {
        // systemd socket activation: LISTEN_FDS sockets start at fd 3
        const count = Number(process.env.LISTEN_FDS ?? 0);
        const fds = l.fd !== undefined ? [l.fd] : Array.from({ length: count }, (_, i) => 3 + i);
        if (fds.length === 0)
          throw new ConfigError(`-H ${h}: no sockets were passed (LISTEN_FDS is not set)`);
        for (const fd of fds) await api.listenFd(fd);
        logger.info({ host: h, fds }, 'API listen on inherited sockets');
      }
    }
    const d = daemon;
    return {
      daemon: d,
      api,
      async close() {
        await api.close().catch(() => {});
        await d.close().catch((e) => logger.warn({ err: String(e) }, 'closing the daemon'));
        // the cgroup parent goes when no container is left in it (running ones keep it); so does
        // the build steps' one (no build outlives the daemon)
        d.removeCgroupParent();
        removeEmptyCgroup(buildCgroupParent);
        try {
          snapshotter.close();
        } catch {
          // already closed
        }
        rmSync(cfg.pidfile, { force: true });
      },
    };
  } catch (e) {
    await undo();
    throw e;
  }
}

/** 172.30.0.1/16 → 172.30.0.0/16 */
function subnetOf(cidr: string): string {
  const [ip, len] = cidr.split('/') as [string, string];
  const n = ip.split('.').reduce((a, b) => (a << 8) | Number(b), 0) >>> 0;
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

/** berth-init when @berth/native has built it (`docker run --init`). */
function initPath(): string | undefined {
  try {
    return initBinaryPath();
  } catch {
    return undefined;
  }
}

/** Removes an empty cgroup directory from every v1 hierarchy (and the v2 mount); busy ones stay. */
function removeEmptyCgroup(path: string): void {
  const base = '/sys/fs/cgroup';
  if (!existsSync(base)) return;
  for (const h of readdirSync(base)) {
    try {
      rmdirSync(join(base, h, path));
    } catch {
      // not there, or still in use
    }
  }
}
