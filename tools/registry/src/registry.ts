import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

/** Where Debian's `docker-registry` package installs the distribution registry. */
export const DOCKER_REGISTRY_PATH = '/usr/bin/docker-registry';

export class TestRegistryError extends Error {
  readonly code = 'ETESTREGISTRY';
}

export interface StartRegistryOptions {
  /** Turn on htpasswd basic auth with this one user. */
  auth?: { username: string; password: string };
  /** Binary to run (default Debian's). */
  binary?: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry host as a reference domain. */
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The throwaway directory holding config, htpasswd and storage. */
  readonly dir: string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Cleanups (kill + remove dir) of registries not yet stopped, run by the exit hook. */
const live = new Set<() => void>();
let exitHookInstalled = false;

/** Kills and removes whatever the test left if the test process exits without calling stop(). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const cleanup of live) cleanup();
  });
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; the registry binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new TestRegistryError('no port from listen(0)'));
      });
    });
  });
}

function configYaml(dir: string, port: number, htpasswd: string | null): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (htpasswd !== null) {
    lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${htpasswd}`);
  }
  return `${lines.join('\n')}\n`;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  // Bounded by time, not by a count of attempts: a refused connection returns at once, so 300 tries
  // came to a few seconds, short for a registry starting on a loaded CI machine.
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new TestRegistryError(
        `docker-registry exited early (${child.exitCode ?? child.signalCode}): ${output()}`,
      );
    }
    try {
      const response = await fetch(`${url}/v2/`);
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new TestRegistryError(`docker-registry did not answer on ${url}: ${output()}`);
}

/**
 * Starts Debian's docker-registry on 127.0.0.1 with a random free port, a throwaway storage dir and
 * (optionally) htpasswd basic auth. Call `stop()` in a finally/afterAll; a process exit hook kills
 * it too if the test dies first.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const binary = options.binary ?? DOCKER_REGISTRY_PATH;
  if (!existsSync(binary)) {
    throw new TestRegistryError(
      `${binary} not found: install Debian's docker-registry (tools/bootstrap.sh does)`,
    );
  }
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-registry-'));
  try {
    let htpasswd: string | null = null;
    if (options.auth) {
      htpasswd = join(dir, 'htpasswd');
      // Cost 4 (bcrypt's minimum): the registry checks the hash on every request, and this is a test.
      const hash = bcrypt.hashSync(options.auth.password, 4);
      writeFileSync(htpasswd, `${options.auth.username}:${hash}\n`, { mode: 0o600 });
    }
    // The port can be taken between freePort() and the registry's bind: retry a few times.
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const configPath = join(dir, 'config.yml');
      writeFileSync(configPath, configYaml(dir, port, htpasswd));
      const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      const url = `http://127.0.0.1:${port}`;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const kill = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      try {
        await waitReady(url, child, () => output);
      } catch (error) {
        kill();
        await exited;
        if (attempt < 3 && /address already in use/.test(output)) continue;
        throw error;
      }
      let stopped = false;
      // On process exit only synchronous work runs: SIGKILL and remove the directory.
      const cleanupOnExit = () => {
        kill();
        rmSync(dir, { recursive: true, force: true });
      };
      const registry: TestRegistry = {
        host: `127.0.0.1:${port}`,
        port,
        url,
        dir,
        async stop() {
          if (stopped) return;
          stopped = true;
          live.delete(cleanupOnExit);
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timer = setTimeout(kill, 5000);
            await exited;
            clearTimeout(timer);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
      live.add(cleanupOnExit);
      return registry;
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
