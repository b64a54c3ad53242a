// Loads the compiled addon (build/Release/berth_native.node, next to dist/) and declares its shape.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { SyscallError } from './errors.js';

export interface WaitStatus {
  pid: number;
  /** exit status when the process exited, else null */
  exitCode: number | null;
  /** terminating signal number when it was killed, else null */
  signal: number | null;
}

export interface CapSets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

export interface Pty {
  master: number;
  slave: number;
  path: string;
}

export interface ReceivedFds {
  data: Buffer;
  fds: number[];
  /** set when more fds arrived than maxFds (the kernel closed the rest) */
  truncated?: boolean;
}

/** A process started by spawnProcess: reap it (waitpid) once its pidfd is readable. */
export interface SpawnedProcess {
  pid: number;
  /** CLOEXEC pidfd of the child */
  pidfd: number;
}

/** Raw result of engineSpawn: the child waits for `start()` on syncFd. */
export interface EngineSpawnResult {
  pid: number;
  pidfd: number;
  syncFd: number;
}

/** A seccomp profile in libseccomp's numbers (see seccomp.ts for the OCI form). */
export interface SeccompRules {
  defaultAction: number;
  architectures: string[];
  rules: {
    syscall: string;
    action: number;
    args: { index: number; op: number; value: bigint; valueTwo: bigint }[];
  }[];
}

export interface NativeBinding {
  setErrorClass(ctor: typeof SyscallError): void;
  errnoName(errno: number): string;
  errnoMessage(errno: number): string;
  constants: Record<string, number>;
  mount(
    source: string | null,
    target: string,
    fstype: string | null,
    flags: number,
    data?: string | null,
  ): void;
  umount2(target: string, flags: number): void;
  pivotRoot(newRoot: string, putOld: string): void;
  chroot(path: string): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  openTree(dirfd: number, path: string, flags: number): number;
  moveMount(fromDirfd: number, fromPath: string, toDirfd: number, toPath: string, flags: number): void;
  mountSetattr(
    dirfd: number,
    path: string,
    flags: number,
    attrSet: number,
    attrClr: number,
    propagation: number,
    userNsFd: number,
  ): void;
  unshare(flags: number): void;
  setns(fdOrPath: number | string, nstype: number): void;
  sethostname(name: string): void;
  setdomainname(name: string): void;
  personality(persona: number): number;
  prctl(option: number, arg2?: number, arg3?: number, arg4?: number, arg5?: number): number;
  capget(pid?: number): CapSets;
  capset(effective: bigint, permitted: bigint, inheritable: bigint): void;
  setresuid(ruid: number, euid: number, suid: number): void;
  setresgid(rgid: number, egid: number, sgid: number): void;
  setgroups(gids: number[]): void;
  setrlimit(resource: number, soft: bigint | number, hard: bigint | number): void;
  getrlimit(resource: number): { soft: bigint; hard: bigint };
  lsetxattr(path: string, name: string, value: Buffer, flags?: number): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  lremovexattr(path: string, name: string): void;
  eventfd(initval: number, flags: number): number;
  waitReadable(fd: number): Promise<void>;
  waitpid(pid: number, flags: number): WaitStatus | null;
  pidfdOpen(pid: number, flags?: number): number;
  pidfdSendSignal(pidfd: number, signal: number): void;
  bpfProgLoad(progType: number, insns: Buffer, license: string): number;
  bpfProgAttach(progFd: number, targetFd: number, attachType: number, flags: number): void;
  bpfProgDetach(progFd: number, targetFd: number, attachType: number): void;
  openpty(): Pty;
  socketpair(): [number, number];
  pipe(): [number, number];
  spawnProcess(path: string, argv: string[], envp: string[], fds: number[], setsid: boolean): SpawnedProcess;
  unixConnect(path: string): number;
  sendFds(sockFd: number, fds: number[], data: Buffer): void;
  recvFds(sockFd: number, maxFds: number, maxData: number): ReceivedFds;
  seccompCompile(profile: SeccompRules): Buffer;
  seccompLoad(program: Buffer, flags: number): void;
  seccompResolveSyscall(name: string): number;
  engineSpawn(plan: Buffer): EngineSpawnResult;
  engineReadMessage(syncFd: number): Buffer | null;
  engineStart(syncFd: number): void;
  engineRelease(syncFd: number): void;
}

const require = createRequire(import.meta.url);

/** native/'s package root (dist/ and src/ both sit one level below it); bundlers rewrite the
 * `createRequire(import.meta.url)` above, so paths of built artefacts derive from it. */
export const packageRoot: string = dirname(require.resolve('../package.json'));

function load(): NativeBinding {
  // dist/index.js and src/*.ts both sit one level below the package root.
  const binding = require('../build/Release/berth_native.node') as NativeBinding;
  binding.setErrorClass(SyscallError);
  return binding;
}

export const native: NativeBinding = load();
