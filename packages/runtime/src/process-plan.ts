// config.json `process` -> the engine's process fields: capabilities by name to masks, rlimits by
// name to resource numbers, user, cwd, env, argv, oom_score_adj, no_new_privs, LSM labels.
import { existsSync, readFileSync } from 'node:fs';
import {
  capabilityNumber,
  type InitPlanInput,
  type PlanCapabilities,
  type PlanRlimit,
  rlimitResource,
} from '@berth/native';
import { RuntimeError, specError } from './errors.js';
import type { Linux, Process } from './spec.js';

const CAP_SETS = ['bounding', 'effective', 'permitted', 'inheritable', 'ambient'] as const;

export interface CapabilityPlan {
  capabilities: PlanCapabilities;
  /** names this kernel/build does not know: ignored, as runc does, so newer specs still run */
  unknown: string[];
}

export function planCapabilities(caps: NonNullable<Process['capabilities']>): CapabilityPlan {
  const unknown = new Set<string>();
  const out = { bounding: 0n, effective: 0n, permitted: 0n, inheritable: 0n, ambient: 0n };
  for (const set of CAP_SETS) {
    for (const name of caps[set] ?? []) {
      let n: number;
      try {
        if (!name.startsWith('CAP_')) throw new TypeError(name);
        n = capabilityNumber(name);
      } catch {
        unknown.add(name);
        continue;
      }
      out[set] |= 1n << BigInt(n);
    }
  }
  // The kernel raises an ambient capability only when it is both permitted and inheritable. runc's
  // own default spec lists ambient caps without inheritable ones, and runc skips those it cannot
  // raise; do the same here, where policy lives, so the engine never fails on them.
  out.ambient &= out.permitted & out.inheritable;
  return { capabilities: out, unknown: [...unknown] };
}

export function planRlimits(rlimits: Process['rlimits']): PlanRlimit[] {
  return (rlimits ?? []).map((r, i) => {
    let resource: number;
    try {
      if (!r.type.startsWith('RLIMIT_')) throw new TypeError(r.type);
      resource = rlimitResource(r.type);
    } catch {
      throw specError(`process.rlimits[${i}].type`, `unknown rlimit ${JSON.stringify(r.type)}`);
    }
    if (BigInt(r.soft) > BigInt(r.hard))
      throw specError(`process.rlimits[${i}]`, 'soft limit is above the hard limit');
    return { resource, soft: r.soft, hard: r.hard };
  });
}

const PERSONALITY: Record<string, number> = { LINUX: 0x0000, LINUX32: 0x0008 };

export function planPersonality(p: Linux['personality']): number | undefined {
  if (!p) return undefined;
  const v = PERSONALITY[p.domain];
  if (v === undefined)
    throw specError('linux.personality.domain', `unknown domain ${JSON.stringify(p.domain)}`);
  if (p.flags && p.flags.length > 0)
    throw specError('linux.personality.flags', 'personality flags are not supported');
  return v;
}

function apparmorEnabled(): boolean {
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}

/**
 * AppArmor and SELinux: a clear error when a label is asked for. On a host without the LSM the
 * label cannot be honoured; on a host with it, applying labels is not implemented yet (the engine
 * would have to write /proc/self/attr/exec between its last step and execve).
 */
export function checkLsm(process: Process, linux: Linux | undefined): void {
  if (process.apparmorProfile) {
    const why = apparmorEnabled()
      ? 'applying AppArmor profiles is not implemented yet'
      : 'AppArmor is not enabled on this host';
    throw new RuntimeError('EUNSUPPORTED', `process.apparmorProfile: ${why}`, {
      where: 'process.apparmorProfile',
    });
  }
  const selinux = existsSync('/sys/fs/selinux/enforce');
  for (const [where, label] of [
    ['process.selinuxLabel', process.selinuxLabel],
    ['linux.mountLabel', linux?.mountLabel],
  ] as const) {
    if (!label) continue;
    const why = selinux
      ? 'applying SELinux labels is not implemented yet'
      : 'SELinux is not enabled on this host';
    throw new RuntimeError('EUNSUPPORTED', `${where}: ${why}`, { where });
  }
}

/** The process part of a plan (argv, env, cwd, user, caps, rlimits, oom, nnp). */
export function planProcess(process: Process): { fields: Partial<InitPlanInput>; warnings: string[] } {
  const warnings: string[] = [];
  const fields: Partial<InitPlanInput> = {
    args: process.args,
    env: process.env ?? [],
    cwd: process.cwd,
    user: { uid: process.user.uid, gid: process.user.gid, additionalGids: process.user.additionalGids ?? [] },
    rlimits: planRlimits(process.rlimits),
    noNewPrivileges: process.noNewPrivileges ?? false,
  };
  if (process.oomScoreAdj !== undefined) fields.oomScoreAdj = process.oomScoreAdj;
  if (process.capabilities) {
    const c = planCapabilities(process.capabilities);
    fields.capabilities = c.capabilities;
    if (c.unknown.length > 0) warnings.push(`ignoring unknown capabilities: ${c.unknown.join(', ')}`);
  }
  const size = process.consoleSize;
  if (process.terminal && size && size.height > 0 && size.width > 0)
    fields.consoleSize = { rows: Math.min(size.height, 65535), cols: Math.min(size.width, 65535) };
  // As runc: the spec's umask, or 0022 when it gives none (not whatever the runtime's caller had).
  fields.umask = process.user.umask ?? 0o022;
  return { fields, warnings };
}
