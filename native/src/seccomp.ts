// OCI seccomp profiles (config.json linux.seccomp) compiled to a BPF program for the init plan.
// The C side uses libseccomp to build and export the program (see src/seccomp.c for why).
import { z } from 'zod';
import { native, type SeccompRules } from './binding.js';

const EPERM = 1;

/** libseccomp action values (seccomp.h SCMP_ACT_*). */
function actionValue(action: string, ret: number | undefined, where: string): number {
  switch (action) {
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return 0x00000000;
    case 'SCMP_ACT_KILL_PROCESS':
      return 0x80000000;
    case 'SCMP_ACT_TRAP':
      return 0x00030000;
    case 'SCMP_ACT_ERRNO':
      return 0x00050000 | ((ret ?? EPERM) & 0xffff);
    case 'SCMP_ACT_TRACE':
      return 0x7ff00000 | ((ret ?? EPERM) & 0xffff);
    case 'SCMP_ACT_LOG':
      return 0x7ffc0000;
    case 'SCMP_ACT_ALLOW':
      return 0x7fff0000;
    case 'SCMP_ACT_NOTIFY':
      return 0x7fc00000;
    default:
      throw new SeccompProfileError(`unsupported action ${JSON.stringify(action)}`, where);
  }
}

const OPS: Record<string, number> = {
  SCMP_CMP_NE: 1,
  SCMP_CMP_LT: 2,
  SCMP_CMP_LE: 3,
  SCMP_CMP_EQ: 4,
  SCMP_CMP_GE: 5,
  SCMP_CMP_GT: 6,
  SCMP_CMP_MASKED_EQ: 7,
};

const FLAGS: Record<string, number> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
};

/** The OCI linux.seccomp object (the subset berth carries out). listenerPath and listenerMetadata
 * are the runtime's business (where the notify listener fd goes), not the filter's. */
export const SeccompProfile = z.object({
  defaultAction: z.string(),
  listenerPath: z.string().optional(),
  listenerMetadata: z.string().optional(),
  defaultErrnoRet: z.number().int().min(0).optional(),
  architectures: z.array(z.string()).optional(),
  flags: z.array(z.string()).optional(),
  syscalls: z
    .array(
      z.object({
        names: z.array(z.string()),
        action: z.string(),
        errnoRet: z.number().int().min(0).optional(),
        args: z
          .array(
            z.object({
              index: z.number().int().min(0).max(5),
              value: z.union([z.number(), z.bigint()]),
              valueTwo: z.union([z.number(), z.bigint()]).optional(),
              op: z.string(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
export type SeccompProfile = z.infer<typeof SeccompProfile>;

export class SeccompProfileError extends Error {
  readonly code = 'EINVALIDSECCOMP';
  readonly where: string;
  constructor(message: string, where: string) {
    super(`${where}: ${message}`);
    this.name = 'SeccompProfileError';
    this.where = where;
  }
}

export interface CompiledSeccomp {
  /** struct sock_filter[]: InitPlan.seccomp */
  program: Buffer;
  /** SECCOMP_FILTER_FLAG_*: InitPlan.seccompFlags */
  flags: number;
}

/** Compiled programs by profile text: a daemon compiles the same (default) profile for every
 * container, and libseccomp takes ~10 ms over Docker's ~400 rules. A few entries is plenty. */
const compiled = new Map<string, CompiledSeccomp>();
const CACHE_ENTRIES = 16;

/** Compiles an OCI seccomp profile. Syscall names unknown to this kernel/arch are skipped. */
export function compileSeccomp(input: SeccompProfile): CompiledSeccomp {
  const profile = SeccompProfile.parse(input);
  const key = JSON.stringify(profile, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const hit = compiled.get(key);
  if (hit) return { program: Buffer.from(hit.program), flags: hit.flags };
  const result = compileProfile(profile);
  if (compiled.size >= CACHE_ENTRIES) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, result);
  return { program: Buffer.from(result.program), flags: result.flags };
}

function compileProfile(profile: SeccompProfile): CompiledSeccomp {
  const rules: SeccompRules['rules'] = [];
  (profile.syscalls ?? []).forEach((s, i) => {
    const where = `linux.seccomp.syscalls[${i}]`;
    const action = actionValue(s.action, s.errnoRet, `${where}.action`);
    const args = (s.args ?? []).map((a, k) => {
      const op = OPS[a.op];
      if (op === undefined)
        throw new SeccompProfileError(`unknown op ${JSON.stringify(a.op)}`, `${where}.args[${k}].op`);
      return { index: a.index, op, value: BigInt(a.value), valueTwo: BigInt(a.valueTwo ?? 0) };
    });
    for (const name of s.names) rules.push({ syscall: name, action, args });
  });
  let flags = 0;
  (profile.flags ?? []).forEach((f, i) => {
    const v = FLAGS[f];
    if (v === undefined)
      throw new SeccompProfileError(`unknown flag ${JSON.stringify(f)}`, `linux.seccomp.flags[${i}]`);
    flags |= v;
  });
  const program = native.seccompCompile({
    defaultAction: actionValue(profile.defaultAction, profile.defaultErrnoRet, 'linux.seccomp.defaultAction'),
    architectures: (profile.architectures ?? []).map((a) => a.replace(/^SCMP_ARCH_/, '').toLowerCase()),
    rules,
  });
  return { program, flags };
}

/** The syscall number on this architecture, or a negative number when unknown. */
export const resolveSyscall = native.seccompResolveSyscall;
