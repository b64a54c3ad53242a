// Thin typed wrappers over the addon's syscalls. Each throws SyscallError (code = errno name).
import { native, type SpawnedProcess } from './binding.js';
import type { ConstantName } from './constant-names.js';

export type { CapSets, Pty, ReceivedFds, SpawnedProcess, WaitStatus } from './binding.js';

/** Numeric constants straight from the C headers (MS_*, MNT_*, CLONE_*, O_*, S_IF*, BPF_*, PR_*, CAP_*, SIG*, RLIMIT_*). */
export const constants: Readonly<Record<ConstantName, number>> = Object.freeze({
  ...(native.constants as Record<ConstantName, number>),
});

export const mount = native.mount;
export const umount2 = native.umount2;
export const pivotRoot = native.pivotRoot;
export const chroot = native.chroot;
export const mknod = native.mknod;
export const openTree = native.openTree;
export const moveMount = native.moveMount;
export const mountSetattr = native.mountSetattr;

export const unshare = native.unshare;
export const setns = native.setns;
export const sethostname = native.sethostname;
export const setdomainname = native.setdomainname;
export const personality = native.personality;

export const prctl = native.prctl;
export const capget = native.capget;
export const capset = native.capset;
export const setresuid = native.setresuid;
export const setresgid = native.setresgid;
export const setgroups = native.setgroups;
export const setrlimit = native.setrlimit;
export const getrlimit = native.getrlimit;

export const lsetxattr = native.lsetxattr;
export const lgetxattr = native.lgetxattr;
export const llistxattr = native.llistxattr;
export const lremovexattr = native.lremovexattr;

export const eventfd = native.eventfd;
/**
 * One-shot libuv poll: resolves when fd is readable or in an error state (the next read reports the
 * error). At most one pending wait per fd.
 */
export const waitReadable = native.waitReadable;
export const waitpid = native.waitpid;
export const pidfdOpen = native.pidfdOpen;
export const pidfdSendSignal = native.pidfdSendSignal;

export const bpfProgLoad = native.bpfProgLoad;
export const bpfProgAttach = native.bpfProgAttach;
export const bpfProgDetach = native.bpfProgDetach;

export const openpty = native.openpty;
/** AF_UNIX SOCK_STREAM pair, both ends CLOEXEC. */
export const socketpair = native.socketpair;
/** pipe2(O_CLOEXEC): [read end, write end]. */
export const pipe = native.pipe;
export const unixConnect = native.unixConnect;
/** sendmsg with SCM_RIGHTS; `data` must not be empty. */
export const sendFds = native.sendFds;
/** recvmsg with SCM_RIGHTS (received fds are CLOEXEC); blocks unless called after waitReadable. */
export const recvFds = native.recvFds;

export const errnoName = native.errnoName;

export interface SpawnProcessOptions {
  /** the child's fds in order (0, 1, 2, ...): an fd of ours, or null for /dev/null; default [null, null, null] */
  fds?: (number | null)[];
  /** its environment (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** a new session and process group led by the child (child_process' `detached`) */
  setsid?: boolean;
}

/**
 * Starts `path` (no PATH search) with clone(CLONE_VM | CLONE_VFORK) + execve, so a large Node
 * process is not forked (child_process.spawn copies its page tables and blocks the event loop
 * meanwhile). The child gets exactly `fds`, default signal dispositions and an empty signal mask.
 * Throws SyscallError naming the step that failed (execve, dup2, setsid ...). The caller reaps
 * the child: waitReadable(pidfd), then waitpid(pid, WNOHANG), then close the pidfd.
 */
export function spawnProcess(
  path: string,
  argv: string[],
  options: SpawnProcessOptions = {},
): SpawnedProcess {
  const envp: string[] = [];
  for (const [k, v] of Object.entries(options.env ?? process.env))
    if (v !== undefined) envp.push(`${k}=${v}`);
  const fds = (options.fds ?? [null, null, null]).map((fd) => fd ?? -1);
  return native.spawnProcess(path, argv, envp, fds, options.setsid ?? false);
}
