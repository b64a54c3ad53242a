// The init engine's TypeScript face: create (clone + plan, child waits) / start (exec) / wait,
// without ever blocking Node's event loop (pidfd and the sync socket are polled by libuv).
import { closeSync } from 'node:fs';
import { native, type WaitStatus } from './binding.js';
import { isSyscallError } from './errors.js';
import { encodePlan, type InitPlanInput } from './plan.js';

/** The child's steps, index = engine/plan.h enum berth_step. */
export const INIT_STEPS = [
  'unknown',
  'sync',
  'join-namespace',
  'unshare',
  'setsid',
  'stdio',
  'oom-score-adj',
  'rootfs-propagation',
  'rootfs-bind',
  'mount',
  'mount-propagation',
  'device',
  'symlink',
  'pivot-root',
  'console',
  'mask-path',
  'readonly-path',
  'root-readonly',
  'hostname',
  'domainname',
  'sysctl',
  'rlimit',
  'personality',
  'parent-death-signal',
  'capabilities-bounding',
  'user',
  'capabilities',
  'no-new-privileges',
  'seccomp',
  'cwd',
  'close-fds',
  'exec',
  'create-container-hook',
  'loopback',
] as const;
export type InitStep = (typeof INIT_STEPS)[number];

/** A failure inside the container's init, between clone and exec: which step, which path, errno. */
export class ContainerInitError extends Error {
  /** errno name, e.g. 'ENOENT' */
  readonly code: string;
  readonly errno: number;
  readonly step: InitStep;
  readonly path?: string;
  /** how the child ended, when it died without reporting (killed, crashed) */
  readonly status?: WaitStatus;

  constructor(step: InitStep, errno: number, path?: string, status?: WaitStatus) {
    const code = errno ? native.errnoName(errno) : 'EUNKNOWN';
    const how = status
      ? `: the child ended without a report (${status.signal !== null ? `signal ${status.signal}` : `exit code ${status.exitCode}`})`
      : errno
        ? `: ${code} (${native.errnoMessage(errno)})`
        : ''; // a report without errno (a hook's exit status) says it all in `path`
    super(`container init failed at ${step}${path ? ` (${path})` : ''}${how}`);
    this.name = 'ContainerInitError';
    this.code = code;
    this.errno = errno;
    this.step = step;
    if (path) this.path = path;
    if (status) this.status = status;
  }
}

const MSG_READY = 1;
const MSG_ERROR = 2;
const MSG_LISTENER = 3;

type Message = { kind: 'ready' } | { kind: 'eof' } | { kind: 'error'; error: ContainerInitError };

/** Called with the seccomp notify listener fd (the caller owns and closes it). */
export type SeccompListenerHandler = (fd: number) => void | Promise<void>;

/** The next ready/error/EOF message; a listener fd on the way goes to `onListener` (or is closed). */
async function readMessage(syncFd: number, onListener?: SeccompListenerHandler): Promise<Message> {
  for (;;) {
    const msg = await readRawMessage(syncFd);
    if (msg.kind !== 'listener') return msg;
    if (onListener) await onListener(msg.fd);
    else closeSync(msg.fd);
  }
}

async function readRawMessage(syncFd: number): Promise<Message | { kind: 'listener'; fd: number }> {
  for (;;) {
    await native.waitReadable(syncFd);
    let buf: Buffer | null;
    try {
      buf = native.engineReadMessage(syncFd);
    } catch (e) {
      if ((e as { code?: string }).code === 'EAGAIN') continue;
      throw e;
    }
    if (buf === null) return { kind: 'eof' };
    const kind = buf.readUInt32LE(0);
    if (kind === MSG_READY) return { kind: 'ready' };
    if (kind === MSG_LISTENER) return { kind: 'listener', fd: buf.readUInt32LE(12) };
    if (kind === MSG_ERROR) {
      const step = INIT_STEPS[buf.readUInt32LE(4)] ?? 'unknown';
      const errno = buf.readInt32LE(8);
      const end = buf.indexOf(0, 16);
      const path = buf.toString('utf8', 16, end < 0 ? buf.length : end);
      return { kind: 'error', error: new ContainerInitError(step, errno, path || undefined) };
    }
    throw new ContainerInitError('sync', 71 /* EPROTO */);
  }
}

export type ContainerState = 'created' | 'running' | 'stopped';

/**
 * A process made by the engine. After `createContainer` it is "created": every step of the plan
 * is done and it waits for `start()` to exec. The caller owns it and must `wait()` for it (or
 * `kill` then `wait`) so no zombie is left; `close()` releases the fds.
 */
export class ContainerProcess {
  readonly pid: number;
  /** a pidfd for the process (O_CLOEXEC): stable handle for signals and waiting */
  readonly pidfd: number;
  private syncFd: number;
  private status: WaitStatus | null = null;
  private waiting: Promise<WaitStatus> | null = null;
  state: ContainerState = 'created';
  private readonly onSeccompListener: SeccompListenerHandler | undefined;
  /** a read of syncFd is waiting on a libuv poll: closing the fd under an active poll corrupts
   * libuv's state (and the number may be reused), so a close asked for meanwhile waits for it */
  private reading = false;

  constructor(pid: number, pidfd: number, syncFd: number, onSeccompListener?: SeccompListenerHandler) {
    this.pid = pid;
    this.pidfd = pidfd;
    this.syncFd = syncFd;
    this.onSeccompListener = onSeccompListener;
  }

  /** Lets the process exec its argv. Rejects with ContainerInitError when exec (or a late step) fails. */
  async start(): Promise<void> {
    if (this.state !== 'created' || this.syncFd < 0)
      throw new Error(`cannot start a ${this.state} container`);
    try {
      native.engineStart(this.syncFd);
    } catch (e) {
      if (!isSyscallError(e, 'EPIPE') && !isSyscallError(e, 'ECONNRESET')) throw e;
      // it died while created (killed, OOM): say how instead of a bare EPIPE
      this.closeSync();
      throw new ContainerInitError('sync', 0, undefined, await this.wait());
    }
    let msg: Message;
    this.reading = true;
    try {
      msg = await readMessage(this.syncFd, this.onSeccompListener);
    } finally {
      this.reading = false;
      this.closeSync();
    }
    if (msg.kind === 'error') {
      await this.wait();
      throw msg.error;
    }
    this.state = 'running';
  }

  /** Sends a signal through the pidfd (never hits a recycled pid). */
  kill(signal: number = native.constants.SIGKILL!): void {
    if (this.status) return;
    native.pidfdSendSignal(this.pidfd, signal);
  }

  /** Resolves with the exit status once the process has ended; reaps it. Does not block the loop. */
  wait(): Promise<WaitStatus> {
    if (this.status) return Promise.resolve(this.status);
    this.waiting ??= (async () => {
      for (;;) {
        await native.waitReadable(this.pidfd);
        const st = native.waitpid(this.pid, native.constants.WNOHANG!);
        if (st) {
          this.status = st;
          this.state = 'stopped';
          this.closeSync();
          closeSync(this.pidfd);
          return st;
        }
      }
    })();
    return this.waiting;
  }

  private closeSync(): void {
    if (this.syncFd < 0) return;
    // the reader closes it when its poll ends (the child is gone or exec'd: EOF comes)
    if (this.reading) return;
    closeSync(this.syncFd);
    this.syncFd = -1;
  }
}

/**
 * Clones a child that carries out the plan (namespaces, id maps, cgroups, mounts, pivot_root,
 * devices, hostname, rlimits, capabilities, user, seccomp) and then waits for `start()`.
 * Throws SyscallError for a parent-side failure and ContainerInitError (after reaping the child)
 * for a failure inside the child.
 */
export interface CreateOptions {
  /**
   * Runs after clone and after the engine wrote the plan's id maps and cgroup.procs, before the
   * child does anything: write maps with newuidmap, join cgroups another way, move a veth into the
   * child's network namespace. If it throws, the child is killed and reaped. A plan passed as
   * bytes must have been encoded with `hold: true` exactly when this is given.
   */
  afterClone?: (pid: number) => void | Promise<void>;
  /** Receives the seccomp notify listener fd of a plan with `seccompListener` (during create, or
   * during start when no_new_privs delays the filter); without it the fd is closed. */
  onSeccompListener?: SeccompListenerHandler;
}

export async function createContainer(
  plan: InitPlanInput | Buffer,
  opts: CreateOptions = {},
): Promise<ContainerProcess> {
  const bytes = Buffer.isBuffer(plan) ? plan : encodePlan({ ...plan, hold: !!opts.afterClone });
  const r = native.engineSpawn(bytes);
  const proc = new ContainerProcess(r.pid, r.pidfd, r.syncFd, opts.onSeccompListener);
  let msg: Message;
  try {
    if (opts.afterClone) {
      await opts.afterClone(r.pid);
      try {
        native.engineRelease(r.syncFd);
      } catch (e) {
        // the child died during afterClone: report it like any child that ends without a word
        if (!isSyscallError(e, 'EPIPE') && !isSyscallError(e, 'ECONNRESET')) throw e;
      }
    }
    msg = await readMessage(r.syncFd, opts.onSeccompListener);
  } catch (e) {
    proc.kill();
    await proc.wait();
    throw e;
  }
  if (msg.kind === 'ready') return proc;
  const status = await proc.wait();
  if (msg.kind === 'error') throw msg.error;
  throw new ContainerInitError('sync', 0, undefined, status);
}

/** create + start: resolves once the child has exec'd argv. */
export async function spawnContainer(
  plan: InitPlanInput | Buffer,
  opts: CreateOptions = {},
): Promise<ContainerProcess> {
  const proc = await createContainer(plan, opts);
  try {
    await proc.start();
  } catch (e) {
    await proc.wait();
    throw e;
  }
  return proc;
}
