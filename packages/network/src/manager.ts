// NetworkManager: Docker's bridge networks on top of the standard CNI plugins (bridge +
// host-local IPAM, portmap, firewall, loopback). State lives in one JSON file under `root`,
// host-local's allocations under root/ipam, the CNI result cache under root/cni; a container's
// netns is pinned under `netnsDir`. Every step that creates something on the host is recorded
// before it runs, so reopening after a crash undoes what was half-made.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createPersistentNamespace,
  isPersistentNamespace,
  removePersistentNamespace,
} from '@berth/namespaces';
import { unlinkIfExists, writeFileAtomic } from './atomic.js';
import { execPlugin } from './cni/exec.js';
import { CniRunner } from './cni/runner.js';
import type { CniConfList, CniResult } from './cni/types.js';
import { CniError, NetworkError } from './errors.js';
import { type HostsEntry, renderHosts, renderResolvConf, updateHostsFile } from './files.js';
import { applyFirewall, isValidTableName } from './firewall.js';
import { type NetworkInspect, toInspect } from './inspect.js';
import { deleteLink } from './links.js';
import { Locks } from './locks.js';
import { teardownIpMasq } from './masq.js';
import { type PortMapping, portmapArgs, resolvePorts } from './ports.js';
import {
  type ContainerRecord,
  type EndpointRecord,
  loadState,
  type NetworkRecord,
  type PublishedPort,
  type State,
  saveState,
} from './state.js';
import {
  type AddressPool,
  allocateSubnet,
  broadcast,
  contains,
  DEFAULT_POOLS,
  firstHost,
  formatIPv4,
  formatSubnet,
  hostRoutes,
  overlaps,
  parseIPv4,
  parseSubnet,
  type Subnet,
} from './subnet.js';

export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';
export const DEFAULT_NETNS_DIR = '/run/berth/netns';
export const DEFAULT_BRIDGE_NAME = 'berth0';
export const DEFAULT_NFT_TABLE = 'berth';
/** Docker's option that names a bridge network's host interface. */
export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';
const MTU_OPTION = 'com.docker.network.driver.mtu';
const MASQ_OPTION = 'com.docker.network.bridge.enable_ip_masquerade';

export interface DefaultBridgeOptions {
  /** host interface; berth0 */
  bridge?: string;
  /** a subnet; else the first free one from the pools */
  subnet?: string;
  gateway?: string;
}

export interface NetworkManagerOptions {
  /** state directory (state.json, ipam/, cni/) */
  root: string;
  /** CNI plugin directory (or directories, searched in order); /usr/lib/cni */
  cniBinDir?: string | readonly string[];
  /** where container network namespaces are pinned; /run/berth/netns */
  netnsDir?: string;
  /** the default `bridge` network; false: none (tests) */
  defaultBridge?: DefaultBridgeOptions | false;
  /** subnets for networks created without --subnet; Docker's default-address-pools */
  addressPools?: readonly AddressPool[];
  /** read for routes to avoid when choosing subnets; /proc/net/route */
  routesFile?: string;
  /** the host resolv.conf copied into containers; /etc/resolv.conf */
  hostResolvConf?: string;
  /** berth's nftables table (ip family): isolation, internal networks, loopback guard; `berth_<hash of root>` */
  nftTable?: string;
}

export interface NetworkCreateOptions {
  name: string;
  driver?: 'bridge';
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  labels?: Record<string, string>;
  /** driver options: com.docker.network.bridge.name, com.docker.network.driver.mtu, ...enable_ip_masquerade */
  options?: Record<string, string>;
}

export interface AttachOptions {
  containerId: string;
  netnsPath: string;
  /** network id, id prefix or name */
  network: string;
  /** the container's name: other containers on user networks resolve it */
  name?: string;
  aliases?: readonly string[];
  hostname?: string;
  ports?: readonly PortMapping[];
  /** a fixed address in the network's subnet (--ip) */
  ipAddress?: string;
}

export interface AttachResult {
  endpointId: string;
  networkId: string;
  ifName: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  /** the published ports with the host ports actually used (ephemeral ones chosen) */
  ports: PublishedPort[];
}

export interface ContainerFilesOptions {
  containerId: string;
  /** where hosts, hostname and resolv.conf are written (the daemon bind-mounts them) */
  dir: string;
  hostname: string;
  domainname?: string;
  /** --add-host: "name:ip" strings or [name, ip] pairs */
  extraHosts?: ReadonlyArray<string | readonly [string, string]>;
  dns?: readonly string[];
  dnsSearch?: readonly string[];
  dnsOptions?: readonly string[];
}

export interface ContainerFiles {
  hostsPath: string;
  hostnamePath: string;
  resolvConfPath: string;
}

export interface NetworkFilter {
  name?: string;
  id?: string;
  /** "key" or "key=value" */
  label?: string | readonly string[];
  type?: 'builtin' | 'custom';
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const CONTAINER_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class NetworkManager {
  readonly root: string;
  readonly netnsDir: string;
  readonly cni: CniRunner;
  private readonly statePath: string;
  private readonly ipamDir: string;
  private readonly pools: readonly AddressPool[];
  private readonly routesFile: string | undefined;
  private readonly hostResolvConf: string | undefined;
  /**
   * What open() could not undo (a plugin's DEL failing, say): open() still succeeds so the
   * daemon starts; the entries stay on disk and the next open() tries again.
   */
  recoveryErrors: unknown[] = [];
  /** berth's nftables table for this manager (ip family) */
  readonly nftTable: string;
  /** berth's iptables filter chain (jumped to from FORWARD) for this manager */
  readonly forwardChain: string;
  private state: State;
  private readonly locks = new Locks();

  private constructor(opts: NetworkManagerOptions) {
    this.root = opts.root;
    this.netnsDir = opts.netnsDir ?? DEFAULT_NETNS_DIR;
    const bins = opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR;
    this.cni = new CniRunner({
      binDirs: typeof bins === 'string' ? [bins] : bins,
      cacheDir: join(opts.root, 'cni'),
    });
    this.statePath = join(opts.root, 'state.json');
    this.ipamDir = join(opts.root, 'ipam');
    this.pools = opts.addressPools ?? DEFAULT_POOLS;
    this.routesFile = opts.routesFile;
    this.hostResolvConf = opts.hostResolvConf;
    // one table per state root, so managers on different roots (tests, two daemons) never clobber each other
    const rootHash = createHash('sha256').update(resolve(opts.root)).digest('hex').slice(0, 10);
    this.nftTable = opts.nftTable ?? `${DEFAULT_NFT_TABLE}_${rootHash}`;
    const tableHash = createHash('sha256').update(this.nftTable).digest('hex').slice(0, 10);
    this.forwardChain = `BERTH-FWD-${opts.nftTable ? tableHash : rootHash}`;
    if (!isValidTableName(this.nftTable))
      throw new NetworkError(
        'EINVALID',
        `nftTable ${JSON.stringify(this.nftTable)} must match [A-Za-z][A-Za-z0-9_]{0,31}`,
      );
    mkdirSync(opts.root, { recursive: true, mode: 0o700 });
    this.state = loadState(this.statePath);
  }

  /**
   * Opens (or creates) the state under `root`, undoes what a crash left half-made (endpoints
   * that were being attached, cached CNI results without an endpoint, endpoints whose netns is
   * gone, netns files without a container) and makes the default `bridge` network.
   */
  static async open(opts: NetworkManagerOptions): Promise<NetworkManager> {
    const m = new NetworkManager(opts);
    await m.locks.exclusive(async () => {
      await m.recover();
      if (opts.defaultBridge !== false) m.ensureDefault(opts.defaultBridge ?? {});
      await m.applyFirewall();
    });
    return m;
  }

  // ---- networks ------------------------------------------------------------------------

  create(opts: NetworkCreateOptions): Promise<NetworkRecord> {
    return this.locks.exclusive(async () => {
      const net = this.createLocked(opts, false);
      try {
        await this.applyFirewall();
      } catch (e) {
        this.state.networks = this.state.networks.filter((n) => n !== net);
        this.save();
        throw e;
      }
      return net;
    });
  }

  list(filter: NetworkFilter = {}): NetworkRecord[] {
    const labels =
      filter.label === undefined ? [] : typeof filter.label === 'string' ? [filter.label] : filter.label;
    return this.state.networks.filter(
      (n) =>
        (filter.name === undefined || n.name.includes(filter.name)) &&
        (filter.id === undefined || n.id.startsWith(filter.id)) &&
        (filter.type === undefined || (filter.type === 'builtin') === n.isDefault) &&
        labels.every((l) => matchLabel(n.labels, l)),
    );
  }

  /** The network with this id, unique id prefix or name; ENOTFOUND otherwise. */
  get(idOrName: string): NetworkRecord {
    const s = this.state.networks;
    const hit =
      s.find((n) => n.id === idOrName) ??
      s.find((n) => n.name === idOrName) ??
      (() => {
        const byPrefix = idOrName.length > 0 ? s.filter((n) => n.id.startsWith(idOrName)) : [];
        if (byPrefix.length > 1)
          throw new NetworkError(
            'ECONFLICT',
            `network ${idOrName} is ambiguous (${byPrefix.length} matches)`,
            {
              network: idOrName,
            },
          );
        return byPrefix[0];
      })();
    if (!hit) throw new NetworkError('ENOTFOUND', `network ${idOrName} not found`, { network: idOrName });
    return hit;
  }

  inspect(idOrName: string): NetworkInspect {
    return toInspect(this.get(idOrName), this.state.endpoints);
  }

  /** Endpoints of a container (all networks), as attach returned them. */
  endpoints(containerId: string): (AttachResult & { network: string })[] {
    return this.state.endpoints
      .filter((e) => e.containerId === containerId && e.state === 'attached')
      .map((e) => ({ ...this.resultOf(e), network: this.netById(e.networkId)?.name ?? e.networkId }));
  }

  /** Removes a network without endpoints: its bridge, IPAM allocations and record. */
  remove(idOrName: string): Promise<void> {
    return this.locks.exclusive(async () => {
      const net = this.get(idOrName);
      if (net.isDefault)
        throw new NetworkError('EFORBIDDEN', `${net.name} is a pre-defined network and cannot be removed`, {
          network: net.name,
        });
      const active = this.state.endpoints.filter((e) => e.networkId === net.id);
      if (active.length > 0)
        throw new NetworkError(
          'ECONFLICT',
          `error while removing network: network ${net.name} id ${net.id} has active endpoints (${active.map((e) => e.name ?? e.containerId).join(', ')})`,
          { network: net.name },
        );
      await this.destroyNetwork(net);
    });
  }

  /** Removes every user network without endpoints (optionally only those matching labels); returns their names. */
  prune(filter: { label?: string | readonly string[] } = {}): Promise<string[]> {
    return this.locks.exclusive(async () => {
      const labels =
        filter.label === undefined ? [] : typeof filter.label === 'string' ? [filter.label] : filter.label;
      const gone: string[] = [];
      for (const net of [...this.state.networks]) {
        if (net.isDefault || this.state.endpoints.some((e) => e.networkId === net.id)) continue;
        if (!labels.every((l) => matchLabel(net.labels, l))) continue;
        await this.destroyNetwork(net);
        gone.push(net.name);
      }
      return gone;
    });
  }

  /**
   * Removes everything this manager made: every container's endpoints and netns, every network
   * (the predefined ones too) and berth's nft table. For uninstalling and tests; a later open()
   * makes the predefined networks again.
   */
  purge(): Promise<void> {
    return this.locks.exclusive(async () => {
      for (const c of [...this.state.containers]) await this.removeNetnsLocked(c.containerId);
      for (const ep of [...this.state.endpoints]) await this.detachEndpoint(ep);
      this.state.containers = [];
      for (const net of [...this.state.networks]) await this.destroyNetwork(net);
    });
  }

  // ---- network namespaces --------------------------------------------------------------

  /** Pins a new network namespace for the container under netnsDir (lo up) and returns its path. */
  createNetns(containerId: string): Promise<string> {
    return this.locks.shared(containerId, async () => {
      checkContainerId(containerId);
      const c = this.container(containerId, true);
      if (c.netnsPath && isPersistentNamespace(c.netnsPath)) return c.netnsPath;
      const path = join(this.netnsDir, containerId);
      c.netnsPath = path;
      this.save(); // recorded first: a crash after pinning leaves a file recover() can unpin
      if (isPersistentNamespace(path)) removePersistentNamespace(path);
      else unlinkIfExists(path);
      await createPersistentNamespace('network', path);
      try {
        await execPlugin(
          'loopback',
          this.cni.binDirs,
          { cniVersion: '1.0.0', name: 'berth-loopback', type: 'loopback' },
          {
            command: 'ADD',
            containerId,
            netns: path,
            ifName: 'lo',
          },
        );
      } catch (e) {
        removePersistentNamespace(path);
        delete c.netnsPath;
        this.save();
        throw e;
      }
      return path;
    });
  }

  /** Detaches the container from every network and unpins its netns. Idempotent. */
  removeNetns(containerId: string): Promise<void> {
    return this.locks.shared(containerId, () => this.removeNetnsLocked(containerId));
  }

  private async removeNetnsLocked(containerId: string): Promise<void> {
    for (const ep of this.state.endpoints.filter((e) => e.containerId === containerId))
      await this.detachEndpoint(ep);
    const c = this.state.containers.find((x) => x.containerId === containerId);
    const path =
      c?.netnsPath ?? (CONTAINER_ID_RE.test(containerId) ? join(this.netnsDir, containerId) : undefined);
    if (path) removePersistentNamespace(path);
    if (c) {
      delete c.netnsPath;
      this.dropContainerIfEmpty(c);
      this.save();
    }
  }

  /** Everything of a container: endpoints, netns, rendered files' registration. */
  cleanupContainer(containerId: string): Promise<void> {
    return this.locks.shared(containerId, async () => {
      const known =
        this.state.containers.some((c) => c.containerId === containerId) ||
        this.state.endpoints.some((e) => e.containerId === containerId);
      await this.removeNetnsLocked(containerId);
      // nothing recorded (a none container, whose clone made its netns): no state write, no hosts
      // to refresh; the unpin above still sweeps a netns file left under netnsDir
      if (!known) return;
      this.state.containers = this.state.containers.filter((c) => c.containerId !== containerId);
      this.save();
      this.refreshHosts();
    });
  }

  // ---- endpoints -----------------------------------------------------------------------

  /** Connects the container's netns to a network (veth on the bridge, an address, NAT for published ports). */
  attach(opts: AttachOptions): Promise<AttachResult> {
    return this.locks.shared(opts.containerId, async () => {
      checkContainerId(opts.containerId);
      const net = this.get(opts.network);
      if (net.driver !== 'bridge')
        throw new NetworkError(
          'EINVALID',
          `network ${net.name} (driver ${net.driver}) takes no endpoints: a container on it uses the host's netns (host) or one with only lo (none)`,
          { network: net.name },
        );
      if (this.state.endpoints.some((e) => e.containerId === opts.containerId && e.networkId === net.id))
        throw new NetworkError(
          'ECONFLICT',
          `container ${opts.containerId} is already attached to network ${net.name}`,
          {
            network: net.name,
            containerId: opts.containerId,
          },
        );
      if (!existsSync(opts.netnsPath))
        throw new NetworkError('ENOTFOUND', `network namespace ${opts.netnsPath} does not exist`, {
          path: opts.netnsPath,
        });
      if (opts.ipAddress !== undefined) {
        const ip = parseIPv4(opts.ipAddress);
        if (ip === undefined || !contains(parseSubnet(net.subnet), ip))
          throw new NetworkError(
            'EINVALID',
            `ip address ${opts.ipAddress} is not in network ${net.name}'s subnet ${net.subnet}`,
          );
      }
      const wanted = opts.ports ?? [];
      if (wanted.length > 0 && net.internal)
        throw new NetworkError(
          'EINVALID',
          `network ${net.name} is internal: ports cannot be published on it`,
          {
            network: net.name,
          },
        );
      // choosing host ports and recording them is one step, so concurrent attaches never pick the same port
      const ep = await this.locks.mutex(async () => {
        const ports = await resolvePorts(
          wanted,
          this.state.endpoints.flatMap((e) => e.ports),
        );
        const used = new Set(
          this.state.endpoints.filter((e) => e.containerId === opts.containerId).map((e) => e.ifName),
        );
        let n = 0;
        while (used.has(`eth${n}`)) n++;
        const rec: EndpointRecord = {
          endpointId: randomBytes(32).toString('hex'),
          containerId: opts.containerId,
          networkId: net.id,
          state: 'attaching',
          ifName: `eth${n}`,
          netnsPath: opts.netnsPath,
          aliases: [...(opts.aliases ?? [])],
          ports,
          conf: this.confList(net),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
        };
        this.state.endpoints.push(rec);
        this.save();
        return rec;
      });
      let result: CniResult;
      try {
        try {
          result = await this.cni.add(ep.conf, this.runtimeConf(ep, opts.ipAddress));
        } catch (e) {
          // portmap 1.1.x creates its shared chains check-then-create: two first ADDs at once can
          // collide; the failed ADD was rolled back, so one more try is safe
          if (!(e instanceof CniError)) throw e;
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
          result = await this.cni.add(ep.conf, this.runtimeConf(ep, opts.ipAddress));
        }
      } catch (e) {
        this.state.endpoints = this.state.endpoints.filter((x) => x !== ep);
        this.save();
        throw e;
      }
      Object.assign(ep, summarize(result, net), { state: 'attached' });
      this.save();
      this.refreshHosts();
      return this.resultOf(ep);
    });
  }

  /** Disconnects the container from a network: veth, address, NAT rules go. */
  detach(containerId: string, network: string): Promise<void> {
    return this.locks.shared(containerId, async () => {
      const net = this.get(network);
      const ep = this.state.endpoints.find((e) => e.containerId === containerId && e.networkId === net.id);
      if (!ep)
        throw new NetworkError(
          'ENOTFOUND',
          `container ${containerId} is not connected to network ${net.name}`,
          {
            network: net.name,
            containerId,
          },
        );
      await this.detachEndpoint(ep);
    });
  }

  /** CNI CHECK of one attachment: throws a CniError naming the plugin when it is not as ADD left it. */
  check(containerId: string, network: string): Promise<void> {
    return this.locks.shared(containerId, async () => {
      const net = this.get(network);
      const ep = this.state.endpoints.find((e) => e.containerId === containerId && e.networkId === net.id);
      if (!ep)
        throw new NetworkError(
          'ENOTFOUND',
          `container ${containerId} is not connected to network ${net.name}`,
          {
            network: net.name,
            containerId,
          },
        );
      // portmap 1.1.x's CHECK also demands its ip6tables chain, which an IPv4-only container never has
      await this.cni.check(ep.conf, this.runtimeConf(ep), ['portmap']);
    });
  }

  // ---- container files -----------------------------------------------------------------

  /**
   * Writes hosts, hostname and resolv.conf into `dir` and remembers them: the hosts file is kept
   * current (in place) as containers join and leave the container's user-defined networks.
   */
  containerFiles(opts: ContainerFilesOptions): Promise<ContainerFiles> {
    return this.locks.shared(opts.containerId, async () => {
      checkContainerId(opts.containerId);
      const extraHosts = (opts.extraHosts ?? []).map((h, i): [string, string] => {
        if (typeof h !== 'string') return [h[0], h[1]];
        const at = h.indexOf(':');
        if (at <= 0)
          throw new NetworkError('EINVALID', `extraHosts[${i}] ${JSON.stringify(h)} is not name:ip`);
        return [h.slice(0, at), h.slice(at + 1)];
      });
      const c = this.container(opts.containerId, true);
      c.files = {
        dir: opts.dir,
        hostname: opts.hostname,
        extraHosts,
        ...(opts.domainname ? { domainname: opts.domainname } : {}),
      };
      this.save();
      mkdirSync(opts.dir, { recursive: true });
      const files: ContainerFiles = {
        hostsPath: join(opts.dir, 'hosts'),
        hostnamePath: join(opts.dir, 'hostname'),
        resolvConfPath: join(opts.dir, 'resolv.conf'),
      };
      writeFileAtomic(files.hostnamePath, `${opts.hostname}\n`);
      writeFileAtomic(
        files.resolvConfPath,
        renderResolvConf({
          ...(opts.dns ? { dns: opts.dns } : {}),
          ...(opts.dnsSearch ? { dnsSearch: opts.dnsSearch } : {}),
          ...(opts.dnsOptions ? { dnsOptions: opts.dnsOptions } : {}),
          ...(this.hostResolvConf ? { hostResolvConf: this.hostResolvConf } : {}),
        }),
      );
      this.renderHostsFor(c);
      return files;
    });
  }

  // ---- internals -----------------------------------------------------------------------

  private save(): void {
    saveState(this.statePath, this.state);
  }

  private netById(id: string): NetworkRecord | undefined {
    return this.state.networks.find((n) => n.id === id);
  }

  private container(containerId: string, make: boolean): ContainerRecord {
    let c = this.state.containers.find((x) => x.containerId === containerId);
    if (!c) {
      c = { containerId };
      if (make) this.state.containers.push(c);
    }
    return c;
  }

  private dropContainerIfEmpty(c: ContainerRecord): void {
    if (!c.netnsPath && !c.files) this.state.containers = this.state.containers.filter((x) => x !== c);
  }

  private ensureDefault(opts: DefaultBridgeOptions): void {
    for (const [name, driver] of [
      ['host', 'host'],
      ['none', 'null'],
    ] as const) {
      if (this.state.networks.some((n) => n.name === name)) continue;
      this.state.networks.push({
        id: randomBytes(32).toString('hex'),
        name,
        driver,
        created: new Date().toISOString(),
        subnet: '',
        gateway: '',
        internal: false,
        labels: {},
        options: {},
        bridge: '',
        cniName: '',
        isDefault: true,
      });
      this.save();
    }
    if (this.state.networks.some((n) => n.isDefault && n.driver === 'bridge')) return;
    const bridge = opts.bridge ?? DEFAULT_BRIDGE_NAME;
    this.createLocked(
      {
        name: 'bridge',
        ...(opts.subnet ? { subnet: opts.subnet } : {}),
        ...(opts.gateway ? { gateway: opts.gateway } : {}),
        options: {
          'com.docker.network.bridge.default_bridge': 'true',
          'com.docker.network.bridge.enable_icc': 'true',
          [MASQ_OPTION]: 'true',
          'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
          [BRIDGE_NAME_OPTION]: bridge,
          [MTU_OPTION]: '1500',
        },
      },
      true,
    );
  }

  private createLocked(opts: NetworkCreateOptions, isDefault: boolean): NetworkRecord {
    if (typeof opts.name !== 'string' || !NAME_RE.test(opts.name))
      throw new NetworkError(
        'EINVALID',
        `invalid network name ${JSON.stringify(opts.name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    if (opts.driver !== undefined && opts.driver !== 'bridge')
      throw new NetworkError(
        'EINVALID',
        `network driver ${JSON.stringify(opts.driver)} is not supported (only bridge)`,
      );
    if (this.state.networks.some((n) => n.name === opts.name))
      throw new NetworkError('ECONFLICT', `network with name ${opts.name} already exists`, {
        network: opts.name,
      });
    const withSubnets = this.state.networks.filter((n) => n.subnet !== '');
    const others = withSubnets.map((n) => parseSubnet(n.subnet));
    let subnet: Subnet;
    if (opts.subnet !== undefined) {
      subnet = parseSubnet(opts.subnet);
      const clash = withSubnets.find((n) => overlaps(parseSubnet(n.subnet), subnet));
      if (clash)
        throw new NetworkError(
          'ECONFLICT',
          `invalid pool request: Pool overlaps with other one on this address space (network ${clash.name}, ${clash.subnet})`,
        );
    } else {
      if (opts.gateway !== undefined)
        throw new NetworkError('EINVALID', 'a gateway needs a subnet (--subnet)');
      subnet = allocateSubnet(this.pools, [...others, ...hostRoutes(this.routesFile)]);
    }
    let gateway = firstHost(subnet);
    if (opts.gateway !== undefined) {
      const g = parseIPv4(opts.gateway);
      if (g === undefined)
        throw new NetworkError('EINVALID', `gateway ${JSON.stringify(opts.gateway)} is not an IPv4 address`);
      if (!contains(subnet, g) || g === subnet.base || g === broadcast(subnet))
        throw new NetworkError(
          'EINVALID',
          `gateway ${opts.gateway} is not a host address of subnet ${formatSubnet(subnet)}`,
        );
      gateway = g;
    }
    const options = { ...(opts.options ?? {}) };
    for (const [k, v] of Object.entries(options))
      if (typeof v !== 'string') throw new NetworkError('EINVALID', `option ${k} must be a string`);
    const id = randomBytes(32).toString('hex');
    const bridge = options[BRIDGE_NAME_OPTION] ?? `br-${id.slice(0, 12)}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(bridge))
      throw new NetworkError(
        'EINVALID',
        `bridge name ${JSON.stringify(bridge)} is not an interface name (1-15 of [A-Za-z0-9_.-])`,
      );
    if (this.state.networks.some((n) => n.bridge === bridge))
      throw new NetworkError(
        'ECONFLICT',
        `bridge ${bridge} is already used by network ${this.state.networks.find((n) => n.bridge === bridge)?.name}`,
      );
    if (options[MTU_OPTION] !== undefined && !/^\d+$/.test(options[MTU_OPTION]))
      throw new NetworkError('EINVALID', `option ${MTU_OPTION} must be a number`);
    const labels = { ...(opts.labels ?? {}) };
    const net: NetworkRecord = {
      id,
      name: opts.name,
      driver: 'bridge',
      created: new Date().toISOString(),
      subnet: formatSubnet(subnet),
      gateway: formatIPv4(gateway),
      internal: opts.internal ?? false,
      labels,
      options,
      bridge,
      cniName: `berth-${id.slice(0, 12)}`,
      isDefault,
    };
    this.state.networks.push(net);
    this.save();
    return net;
  }

  private async destroyNetwork(net: NetworkRecord): Promise<void> {
    await deleteLink(net.bridge);
    rmSync(join(this.ipamDir, net.cniName), { recursive: true, force: true });
    this.state.networks = this.state.networks.filter((n) => n !== net);
    this.save();
    await this.applyFirewall();
  }

  /** Rewrites berth's nft table and FORWARD chain for the current bridge networks (deleted when there are none). */
  private applyFirewall(): Promise<void> {
    return applyFirewall(
      this.nftTable,
      this.forwardChain,
      this.state.networks
        .filter((n) => n.driver === 'bridge')
        .map((n) => ({
          bridge: n.bridge,
          subnet: n.subnet,
          internal: n.internal,
          masquerade: n.options[MASQ_OPTION] !== 'false',
        })),
    );
  }

  /** The CNI config list of a network: bridge + host-local, then portmap and firewall unless internal. */
  private confList(net: NetworkRecord): CniConfList {
    const mtu = net.options[MTU_OPTION] ? Number(net.options[MTU_OPTION]) : undefined;
    return {
      cniVersion: '1.0.0',
      name: net.cniName,
      plugins: [
        {
          type: 'bridge',
          bridge: net.bridge,
          isGateway: true,
          ipMasq: false, // masquerade is one rule per network in berth's nft table
          hairpinMode: true,
          ...(mtu ? { mtu } : {}),
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: net.subnet, gateway: net.gateway }]],
            // internal: no default route, so nothing outside the subnet is reachable
            routes: net.internal ? [] : [{ dst: '0.0.0.0/0' }],
            dataDir: this.ipamDir,
          },
        },
        ...(net.internal
          ? []
          : [
              // snat: masquerade hairpin and 127.0.0.1 traffic (portmap sets route_localnet on the bridge)
              { type: 'portmap', capabilities: { portMappings: true }, snat: true },
              // no `firewall` plugin: berth's FORWARD chain accepts each network's traffic once
              // (per network, not per container: iptables runs fewer on every attach/detach)
            ]),
      ],
    };
  }

  private runtimeConf(ep: EndpointRecord, ip?: string) {
    return {
      containerId: ep.containerId,
      netns: ep.netnsPath,
      ifName: ep.ifName,
      args: ip
        ? ([
            ['IgnoreUnknown', '1'],
            ['IP', ip],
          ] as const)
        : [],
      capabilityArgs: ep.ports.length > 0 ? { portMappings: portmapArgs(ep.ports) } : {},
    };
  }

  private resultOf(ep: EndpointRecord): AttachResult {
    return {
      endpointId: ep.endpointId,
      networkId: ep.networkId,
      ifName: ep.ifName,
      ipAddress: ep.ipAddress ?? '',
      prefixLen: ep.prefixLen ?? 0,
      gateway: ep.gateway ?? '',
      macAddress: ep.macAddress ?? '',
      ports: ep.ports,
    };
  }

  private async detachEndpoint(ep: EndpointRecord): Promise<void> {
    const cached = this.cni.cached(ep.conf.name, ep.containerId, ep.ifName);
    if (cached) await this.cni.delCached(cached);
    else await this.cni.del(ep.conf, this.runtimeConf(ep));
    // the bridge plugin skips its masquerade teardown when the container's interface is already
    // gone (netns removed, veth deleted): finish it (a no-op when the chain is already gone)
    if (ep.conf.plugins.some((p) => p.type === 'bridge' && p.ipMasq === true))
      await teardownIpMasq(ep.conf.name, ep.containerId);
    this.state.endpoints = this.state.endpoints.filter((e) => e !== ep);
    this.save();
    this.refreshHosts();
  }

  /** Re-renders hosts files after a network's membership changed (only changed files are written). */
  private refreshHosts(): void {
    for (const c of this.state.containers) this.renderHostsFor(c);
  }

  private renderHostsFor(c: ContainerRecord): void {
    if (!c.files) return;
    const mine = this.state.endpoints.filter(
      (e) => e.containerId === c.containerId && e.state === 'attached',
    );
    const f = c.files;
    const selfNames = f.domainname ? [`${f.hostname}.${f.domainname}`, f.hostname] : [f.hostname];
    const self: HostsEntry | undefined = mine[0]?.ipAddress
      ? { ip: mine[0].ipAddress, names: selfNames }
      : undefined;
    const peers: HostsEntry[] = [];
    const seen = new Set<string>();
    for (const my of mine) {
      const net = this.netById(my.networkId);
      if (!net || net.isDefault) continue; // the default bridge has no name resolution, as in Docker
      for (const p of this.state.endpoints) {
        if (
          p.networkId !== net.id ||
          p.containerId === c.containerId ||
          p.state !== 'attached' ||
          !p.ipAddress
        )
          continue;
        const names = [
          ...new Set([p.name, ...p.aliases, p.containerId.slice(0, 12)].filter((x): x is string => !!x)),
        ];
        const key = `${p.ipAddress} ${names.join(' ')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        peers.push({ ip: p.ipAddress, names });
      }
    }
    updateHostsFile(
      join(f.dir, 'hosts'),
      renderHosts({ ...(self ? { self } : {}), extraHosts: f.extraHosts, peers }),
    );
  }

  /** Undo what a crash left half-made; see open(). */
  private async recover(): Promise<void> {
    const problems: unknown[] = [];
    // endpoints whose ADD never finished, or whose netns disappeared while we were down
    for (const ep of [...this.state.endpoints]) {
      if (ep.state === 'attached' && existsSync(ep.netnsPath)) continue;
      try {
        await this.detachEndpoint(ep);
      } catch (e) {
        problems.push(e);
      }
    }
    // cached ADDs that no endpoint owns (a crash between the cache write and the state write)
    const owned = new Set(this.state.endpoints.map((e) => `${e.conf.name}/${e.containerId}/${e.ifName}`));
    for (const entry of this.cni.listCached()) {
      if (owned.has(`${entry.networkName}/${entry.containerId}/${entry.ifName}`)) continue;
      try {
        await this.cni.delCached(entry);
      } catch (e) {
        problems.push(e);
      }
    }
    // pinned namespaces no container record points at
    const pinned = new Set(this.state.containers.map((c) => c.netnsPath).filter((p): p is string => !!p));
    let names: string[] = [];
    try {
      names = readdirSync(this.netnsDir);
    } catch {}
    for (const n of names) {
      const p = join(this.netnsDir, n);
      if (!pinned.has(p) && CONTAINER_ID_RE.test(n)) removePersistentNamespace(p);
    }
    for (const c of this.state.containers) {
      if (c.netnsPath && !isPersistentNamespace(c.netnsPath)) {
        unlinkIfExists(c.netnsPath);
        delete c.netnsPath;
      }
    }
    this.state.containers = this.state.containers.filter((c) => c.netnsPath || c.files);
    this.save();
    for (const c of this.state.containers) this.renderHostsFor(c);
    this.recoveryErrors = problems;
  }
}

function summarize(result: CniResult, net: NetworkRecord): Partial<EndpointRecord> {
  const ip = result.ips?.find((i) => !i.address.includes(':')) ?? result.ips?.[0];
  const [addr = '', len = '0'] = (ip?.address ?? '').split('/');
  const iface =
    ip?.interface !== undefined
      ? result.interfaces?.[ip.interface]
      : result.interfaces?.find((i) => i.sandbox);
  const hostVeth = result.interfaces?.find((i) => !i.sandbox && i.name !== net.bridge)?.name;
  return {
    ipAddress: addr,
    prefixLen: Number(len),
    gateway: ip?.gateway ?? '',
    macAddress: iface?.mac ?? '',
    ...(hostVeth ? { hostVeth } : {}),
  };
}

function matchLabel(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

function checkContainerId(id: string): void {
  if (typeof id !== 'string' || !CONTAINER_ID_RE.test(id))
    throw new NetworkError(
      'EINVALID',
      `container id ${JSON.stringify(id)} must match [A-Za-z0-9][A-Za-z0-9_.-]*`,
    );
}
