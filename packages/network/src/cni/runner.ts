// A CNI runtime (libcni's job): runs a network config list's plugins in order for ADD (each
// plugin gets the previous one's result as prevResult), in reverse for DEL, in order for CHECK,
// and keeps what ADD used and returned on disk so DEL and CHECK work after a restart.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkIfExists, writeFileAtomic } from '../atomic.js';
import { CNI_RUNNER_ERROR, CniError, NetworkError } from '../errors.js';
import { type CniCommand, execPlugin } from './exec.js';
import { CniCacheEntry, CniConfList, type CniPluginConf, CniResult, CniVersionResult } from './types.js';

export interface CniRunnerOptions {
  /** plugin directories, searched in order (CNI_PATH) */
  binDirs: readonly string[];
  /** where results are cached (one JSON file per attachment under results/) */
  cacheDir: string;
}

/** The container side of one attachment (libcni's RuntimeConf). */
export interface CniRuntimeConf {
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_ARGS */
  args?: ReadonlyArray<readonly [string, string]>;
  /** values for plugins' capabilities, passed as runtimeConfig (portMappings, ...) */
  capabilityArgs?: Record<string, unknown>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function supportsPrevResultOnDel(version: string): boolean {
  const [maj = 0, min = 0] = version.split('.').map(Number);
  return maj > 0 || min >= 4;
}

export class CniRunner {
  readonly binDirs: readonly string[];
  readonly cacheDir: string;

  constructor(opts: CniRunnerOptions) {
    this.binDirs = opts.binDirs;
    this.cacheDir = opts.cacheDir;
  }

  /** VERSION of one plugin binary: the spec versions it speaks. */
  async version(type: string): Promise<CniVersionResult> {
    const out = await execPlugin(type, this.binDirs, { cniVersion: '1.0.0' }, { command: 'VERSION' });
    const v = CniVersionResult.safeParse(out);
    if (!v.success)
      throw new CniError(type, 'VERSION', CNI_RUNNER_ERROR, `bad VERSION output: ${v.error.message}`);
    return v.data;
  }

  /**
   * ADD: runs every plugin in order, chaining results, and returns the last one. The cache entry
   * is written before the first plugin runs, so a crash mid-ADD leaves a record that DEL can undo;
   * a failed ADD is undone (DEL of the whole list) before the error is thrown.
   */
  async add(list: CniConfList, rt: CniRuntimeConf): Promise<CniResult> {
    const conf = CniConfList.parse(list);
    this.checkNames(conf.name, rt);
    const entry: CniCacheEntry = {
      kind: 'cniCacheV1',
      containerId: rt.containerId,
      networkName: conf.name,
      ifName: rt.ifName,
      netns: rt.netns,
      config: conf,
      capabilityArgs: rt.capabilityArgs ?? {},
      cniArgs: (rt.args ?? []).map(([k, v]) => [k, v] as [string, string]),
    };
    this.writeCache(entry);
    let prev: CniResult | undefined;
    try {
      for (const plugin of conf.plugins) {
        const out = await execPlugin(plugin.type, this.binDirs, this.pluginStdin(conf, plugin, rt, prev), {
          command: 'ADD',
          ...rt,
        });
        const r = CniResult.safeParse(out);
        if (!r.success)
          throw new CniError(
            plugin.type,
            'ADD',
            CNI_RUNNER_ERROR,
            `result does not match the CNI result shape: ${r.error.message}`,
          );
        prev = r.data;
      }
    } catch (e) {
      try {
        await this.runDel(conf, rt, prev);
        this.removeCache(conf.name, rt);
      } catch {
        // the cache entry stays: a later DEL (or sweep) retries the cleanup
      }
      throw e;
    }
    if (!prev) throw new CniError(conf.name, 'ADD', CNI_RUNNER_ERROR, 'the list has no plugins');
    this.writeCache({ ...entry, result: prev });
    return prev;
  }

  /**
   * CHECK (spec 0.4.0+): every plugin in order, with the cached result as prevResult. `skip`
   * names plugin types whose CHECK is known to be wrong (see NetworkManager.check).
   */
  async check(list: CniConfList, rt: CniRuntimeConf, skip: readonly string[] = []): Promise<void> {
    const conf = CniConfList.parse(list);
    if (!supportsPrevResultOnDel(conf.cniVersion) || conf.disableCheck) return;
    const cached = this.cached(conf.name, rt.containerId, rt.ifName);
    if (!cached?.result)
      throw new CniError(
        conf.name,
        'CHECK',
        3,
        `no cached result for container ${rt.containerId} ${rt.ifName}`,
      );
    for (const plugin of conf.plugins) {
      if (skip.includes(plugin.type)) continue;
      await execPlugin(plugin.type, this.binDirs, this.pluginStdin(conf, plugin, rt, cached.result), {
        command: 'CHECK',
        ...rt,
      });
    }
  }

  /**
   * DEL: every plugin in reverse, with the cached result as prevResult. Plugins tolerate a
   * missing netns. Every plugin runs even if an earlier one failed; the first failure is thrown
   * and the cache entry is kept for a retry.
   */
  async del(list: CniConfList, rt: CniRuntimeConf): Promise<void> {
    const conf = CniConfList.parse(list);
    const cached = this.cached(conf.name, rt.containerId, rt.ifName);
    await this.runDel(conf, rt, cached?.result);
    this.removeCache(conf.name, rt);
  }

  /** DEL with exactly what the cache entry recorded at ADD. */
  async delCached(entry: CniCacheEntry): Promise<void> {
    const rt: CniRuntimeConf = {
      containerId: entry.containerId,
      netns: entry.netns,
      ifName: entry.ifName,
      args: entry.cniArgs,
      capabilityArgs: entry.capabilityArgs,
    };
    await this.runDel(entry.config, rt, entry.result);
    this.removeCache(entry.networkName, rt);
  }

  /** The cache entry of one attachment, if any. */
  cached(networkName: string, containerId: string, ifName: string): CniCacheEntry | undefined {
    const path = this.cachePath(networkName, containerId, ifName);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return this.parseCache(text, path);
  }

  /** Every cached attachment (for sweeping after a crash). */
  listCached(): CniCacheEntry[] {
    const dir = join(this.cacheDir, 'results');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .filter((n) => !n.startsWith('.'))
      .map((n) => this.parseCache(readFileSync(join(dir, n), 'utf8'), join(dir, n)));
  }

  private async runDel(conf: CniConfList, rt: CniRuntimeConf, prev: CniResult | undefined): Promise<void> {
    let first: unknown;
    for (const plugin of [...conf.plugins].reverse()) {
      try {
        await execPlugin(
          plugin.type,
          this.binDirs,
          this.pluginStdin(conf, plugin, rt, supportsPrevResultOnDel(conf.cniVersion) ? prev : undefined),
          { command: 'DEL', ...rt },
        );
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  }

  /** libcni's buildOneConfig: name and version from the list, prevResult, runtimeConfig. */
  private pluginStdin(
    conf: CniConfList,
    plugin: CniPluginConf,
    rt: CniRuntimeConf,
    prev: CniResult | undefined,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...plugin, cniVersion: conf.cniVersion, name: conf.name };
    if (prev) out.prevResult = prev;
    const runtimeConfig: Record<string, unknown> = {};
    for (const [cap, on] of Object.entries(plugin.capabilities ?? {})) {
      if (on && rt.capabilityArgs && cap in rt.capabilityArgs) runtimeConfig[cap] = rt.capabilityArgs[cap];
    }
    if (Object.keys(runtimeConfig).length > 0) out.runtimeConfig = runtimeConfig;
    return out;
  }

  private checkNames(networkName: string, rt: CniRuntimeConf): void {
    for (const [what, v] of [
      ['network name', networkName],
      ['container id', rt.containerId],
      ['interface name', rt.ifName],
    ] as const) {
      if (!SAFE_NAME.test(v))
        throw new NetworkError(
          'EINVALID',
          `CNI ${what} ${JSON.stringify(v)} has characters outside [A-Za-z0-9_.-]`,
        );
    }
  }

  private cachePath(networkName: string, containerId: string, ifName: string): string {
    return join(this.cacheDir, 'results', `${networkName}-${containerId}-${ifName}`);
  }

  private writeCache(entry: CniCacheEntry): void {
    mkdirSync(join(this.cacheDir, 'results'), { recursive: true });
    writeFileAtomic(
      this.cachePath(entry.networkName, entry.containerId, entry.ifName),
      JSON.stringify(entry),
      0o600,
    );
  }

  private removeCache(networkName: string, rt: CniRuntimeConf): void {
    unlinkIfExists(this.cachePath(networkName, rt.containerId, rt.ifName));
  }

  private parseCache(text: string, path: string): CniCacheEntry {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new NetworkError('ESTATE', `CNI cache file ${path} is not JSON`, { path });
    }
    const r = CniCacheEntry.safeParse(json);
    if (!r.success) throw new NetworkError('ESTATE', `CNI cache file ${path}: ${r.error.message}`, { path });
    return r.data;
  }
}

export type { CniCommand };
